// A claim, release or resolve and the outbox row that refreshes the Slack
// message commit together. The database refuses the outbox insert (as a crash
// between the two writes would leave it): the change must not stick either,
// so Slack's retry of the event applies both, and the message shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliverer } from '../../src/alerts/deliver-outbox.js';
import { runRecomputeAndAlerts } from '../../src/alerts/recompute-and-alert.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { FAKE_BOT_USER_ID } from '../support/fake-slack.js';
import { DECLINING, seedAccounts } from '../support/seed.js';
import { sendEvent, sendInteraction } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CHANNEL = 'C0CLAIM001';

describe.each(DATABASE_KINDS)('claims commit with their message refresh (%s)', (kind) => {
  let t: TestServer;
  let now = new Date('2026-10-20T09:00:00Z');
  let accountId = 0;
  const deps = () => ({ ...t.server.deps, clock: () => now });
  const alert = () => t.db.prisma.alert.findFirstOrThrow({ where: { accountId } });
  const refreshes = async () => t.db.prisma.slackOutbox.count({ where: { alertId: (await alert()).id, kind: 'update' } });
  const react = (type: 'reaction_added' | 'reaction_removed', user: string, reaction: string, ts: string) =>
    sendEvent(t.eventsUrl, { type, user, reaction, item: { type: 'message', channel: CHANNEL, ts }, item_user: FAKE_BOT_USER_ID, event_ts: `${Date.now() / 1000}` });
  const pressResolve = async (user: string) =>
    sendInteraction(t.eventsUrl, {
      type: 'block_actions', user: { id: user }, team: { id: 'T0FAKE0001' }, channel: { id: CHANNEL }, response_url: t.fake.responseUrl(`resolve-${user}`), trigger_id: 't',
      actions: [{ type: 'button', action_id: ACTION_IDS.resolveAlert, value: String((await alert()).id), block_id: 'b' }],
    });
  // The second write fails, whatever the first did.
  const breakOutbox = async () => {
    await t.db.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_outbox() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected: outbox write failed'; END $$ LANGUAGE plpgsql`);
    await t.db.prisma.$executeRawUnsafe('CREATE TRIGGER refuse_outbox BEFORE INSERT ON slack_outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()');
  };
  const repairOutbox = () => t.db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_outbox ON slack_outbox');
  /** Bolt acks first and runs the listener after: wait until its failure reached the error log. */
  const failures = () => t.logLines.filter((l) => l.includes('unhandled error in a Slack listener') && l.includes('injected: outbox write failed')).length;
  const listenerFailed = async (before: number) => waitUntil(async () => failures() > before);

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
    accountId = (await seedAccounts(t.db, now, [{ externalId: 'CLAIM', name: 'Claim Co', channel: CHANNEL, metrics: DECLINING }])).get('CLAIM') ?? 0;
    now = new Date(now.getTime() + 3_600_000);
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    await new AlertDeliverer(deps(), { channelGapMs: 0 }).deliverDue();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps a claim only together with its refresh', async () => {
    const ts = (await alert()).slackTs ?? '';
    await breakOutbox();
    const before = failures();
    await react('reaction_added', 'U0ALICE001', 'eyes', ts);
    await listenerFailed(before);
    expect(await alert()).toMatchObject({ state: 'open', claimedBy: null });
    expect(await refreshes()).toBe(0);
    await repairOutbox();
    await react('reaction_added', 'U0ALICE001', 'eyes', ts); // Slack retries a failed event
    await waitUntil(async () => (await alert()).claimedBy === 'U0ALICE001');
    expect(await refreshes()).toBe(1);
    await new AlertDeliverer(deps(), { channelGapMs: 0 }).deliverDue();
    const update = t.fake.callsTo('chat.update').filter((c) => c.args.ts === ts).at(-1);
    expect(JSON.stringify(update?.args.blocks)).toContain('Claimed by <@U0ALICE001>');
  });

  it('keeps a release only together with its refresh', async () => {
    const ts = (await alert()).slackTs ?? '';
    now = new Date(now.getTime() + 60_000);
    await breakOutbox();
    const before = failures();
    await react('reaction_removed', 'U0ALICE001', 'eyes', ts);
    await listenerFailed(before);
    expect(await alert()).toMatchObject({ state: 'claimed', claimedBy: 'U0ALICE001' });
    await repairOutbox();
    await react('reaction_removed', 'U0ALICE001', 'eyes', ts);
    await waitUntil(async () => (await alert()).state === 'open');
    expect(await refreshes()).toBe(2);
  });

  it('keeps a resolution only together with its refresh', async () => {
    now = new Date(now.getTime() + 60_000);
    await breakOutbox();
    const before = failures();
    await pressResolve('U0BOB00001');
    await listenerFailed(before);
    expect(await alert()).toMatchObject({ state: 'open', resolvedBy: null });
    await repairOutbox();
    await pressResolve('U0BOB00001');
    await waitUntil(async () => (await alert()).state === 'resolved');
    expect(await refreshes()).toBe(3);
    await new AlertDeliverer(deps(), { channelGapMs: 0 }).deliverDue();
    const update = t.fake.callsTo('chat.update').at(-1);
    expect(JSON.stringify(update?.args.blocks)).toContain('Resolved by <@U0BOB00001>');
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
