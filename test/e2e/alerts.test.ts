// Alerts end to end: raised by the recomputation, posted exactly once through
// Slack faults and a crash, claimed, released and resolved by reactions and
// buttons through the real Bolt app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliverer } from '../../src/alerts/deliver-outbox.js';
import { runRecomputeAndAlerts } from '../../src/alerts/recompute-and-alert.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { FAKE_BOT_USER_ID } from '../support/fake-slack.js';
import { DECLINING, HEALTHY, seedAccounts, setMetrics } from '../support/seed.js';
import { sendEvent, sendInteraction } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DAY = 86_400_000;
const start = new Date('2026-11-01T09:00:00Z');

describe.each(DATABASE_KINDS)('alerts (%s)', (kind) => {
  let t: TestServer;
  let now = start;
  let ids: Map<string, number>;
  const deps = () => ({ ...t.server.deps, clock: () => now });
  // A generous chart budget: on a loaded test box the first chart can take longer than the 2 s a real post waits.
  const deliverer = (options = {}) => new AlertDeliverer(deps(), { channelGapMs: 0, chartBudgetMs: 10_000, ...options });
  const postsTo = (channel: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === undefined);

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
    // Healthy four weeks ago, declining now: the decline is already in the imported history.
    ids = await seedAccounts(t.db, new Date(start.getTime() - 28 * DAY), [
      { externalId: 'ACME', name: 'Acme Corp', channel: 'C0ACME0001', owner: 'U0OWNER001', metrics: HEALTHY },
      { externalId: 'FAULTY', name: 'Faulty Ltd', channel: 'C0FAULT001', metrics: HEALTHY },
      { externalId: 'CRASH', name: 'Crash Co', channel: 'C0CRASH001', metrics: HEALTHY },
      { externalId: 'LOCKED', name: 'Locked Inc', channel: 'C0PRIV0001', metrics: HEALTHY },
      { externalId: 'GONE', name: 'Gone Ltd', channel: 'C0GONE0001', metrics: HEALTHY },
      { externalId: 'FINE', name: 'Fine Corp', channel: 'C0FINE0001', metrics: HEALTHY },
    ]);
    for (const [externalId, id] of ids) {
      await setMetrics(t.db, id, HEALTHY, new Date(start.getTime() - 14 * DAY));
      if (externalId !== 'FINE') await setMetrics(t.db, id, DECLINING, new Date(start.getTime() - DAY));
      else await setMetrics(t.db, id, HEALTHY, new Date(start.getTime() - DAY));
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('raises one alert per declining account on the first recompute after import, judged against the imported history', async () => {
    const outcome = await runRecomputeAndAlerts(deps(), { trigger: 'cli' });
    expect(outcome.ran).toBe(true);
    if (outcome.ran) expect(outcome.result.alertsOpened).toBe(5);
    const acme = await t.db.prisma.alert.findFirstOrThrow({ where: { accountId: ids.get('ACME') } });
    expect(acme.state).toBe('open');
    expect(JSON.stringify(acme.triggers)).toContain('band_worsened');
    expect(await t.db.prisma.alert.count({ where: { accountId: ids.get('FINE') } })).toBe(0);
    expect(await t.db.prisma.slackOutbox.count({ where: { kind: 'post' } })).toBe(5);
  });

  it('delivers through 429, then 500, then OK with exactly one post', async () => {
    t.fake.notInChannel.add('C0PRIV0001');
    t.fake.missingChannels.add('C0GONE0001');
    t.fake.script('chat.postMessage', { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } });
    await deliverer().deliverDue();
    t.fake.script('chat.postMessage', { status: 500, body: { ok: false } });
    for (let i = 0; i < 5; i += 1) {
      now = new Date(now.getTime() + 10 * 60_000);
      await deliverer().deliverDue();
    }
    // The first post attempt got 429, the next 500, then Slack answered: each channel holds exactly one alert.
    const statuses = t.fake.callsTo('chat.postMessage').length;
    // four channels posted, the 429 and the 500, one not_in_channel before joining, one channel_not_found
    expect(statuses).toBe(4 + 2 + 1 + 1);
    for (const channel of ['C0ACME0001', 'C0FAULT001', 'C0CRASH001', 'C0PRIV0001']) expect(t.fake.messages.get(channel)).toHaveLength(1);
    const acmePost = postsTo('C0ACME0001').at(-1);
    expect(String(acmePost?.args.text)).toMatch(/^⚠️ Acme Corp: health fell — \d+\/100/);
    const blocks = JSON.stringify(acmePost?.args.blocks);
    expect(blocks).toContain('Why it moved');
    expect(blocks).toContain('Orders (30 days)*: 22 orders → 3 orders');
    // The group that fell most, and the 90-day chart uploaded through the external upload, shown by file id.
    expect(blocks).toMatch(/\*(Transactional|Engagement)\* fell most: \d+ → \d+/);
    const chart = (acmePost?.args.blocks as { type: string; slack_file?: { id: string } }[]).find((b) => b.type === 'image');
    expect(t.fake.uploads.get(chart?.slack_file?.id ?? '')?.completed).toBe(true);
    expect(blocks).toContain(ACTION_IDS.claimAlert);
    expect(blocks).toContain('react :eyes:');
  });

  it('joins a public channel after not_in_channel, and marks a missing channel failed visibly', async () => {
    expect(t.fake.callsTo('conversations.join').some((c) => c.args.channel === 'C0PRIV0001')).toBe(true);
    const gone = await t.db.prisma.slackOutbox.findFirstOrThrow({ where: { channelId: 'C0GONE0001' } });
    expect(gone).toMatchObject({ status: 'failed', lastError: 'channel_not_found' });
    expect(t.logLines.some((l) => l.includes('alert message could not be delivered') && l.includes('channel_not_found'))).toBe(true);
  });

  it('does not post again after a crash between posting and recording', async () => {
    // A fresh alert for a new account, delivered by a deliverer that "dies" after Slack accepted the post.
    const [newId] = [...(await seedAccounts(t.db, new Date(now.getTime() - 2 * DAY), [{ externalId: 'LATE', name: 'Late Starter', channel: 'C0LATE0001', metrics: DECLINING }])).values()];
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    expect(await t.db.prisma.alert.count({ where: { accountId: newId } })).toBe(1);
    const crashing = deliverer({ afterPost: () => { throw new Error('process killed'); } });
    await crashing.deliverDue();
    expect(postsTo('C0LATE0001')).toHaveLength(1);
    // "Restart": a new deliverer once the lease has expired.
    now = new Date(now.getTime() + 5 * 60_000);
    await deliverer().deliverDue();
    await deliverer().deliverDue();
    expect(postsTo('C0LATE0001')).toHaveLength(1);
    const alert = await t.db.prisma.alert.findFirstOrThrow({ where: { accountId: newId } });
    expect(alert.slackTs).toBe(t.fake.messages.get('C0LATE0001')?.[0]?.ts);
  });

  it('posts nothing new on a second recompute without change', async () => {
    const before = t.fake.callsTo('chat.postMessage').length;
    now = new Date(now.getTime() + 15 * 60_000);
    const outcome = await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    if (outcome.ran) expect(outcome.result.alertsOpened).toBe(0);
    await deliverer().deliverDue();
    expect(t.fake.callsTo('chat.postMessage').length).toBe(before);
  });

  async function react(type: 'reaction_added' | 'reaction_removed', user: string, reaction: string, channel: string, ts: string) {
    const res = await sendEvent(t.eventsUrl, { type, user, reaction, item: { type: 'message', channel, ts }, item_user: FAKE_BOT_USER_ID, event_ts: `${Date.now() / 1000}` });
    expect(res.status).toBe(200);
  }
  const acmeAlert = () => t.db.prisma.alert.findFirstOrThrow({ where: { accountId: ids.get('ACME') } });

  it('lets the first :eyes: claim, tells later reactors quietly, ignores the bot and other messages, and updates the message', async () => {
    const ts = (await acmeAlert()).slackTs ?? '';
    await react('reaction_added', FAKE_BOT_USER_ID, 'eyes', 'C0ACME0001', ts);
    await react('reaction_added', 'U0ALICE001', 'eyes', 'C0ACME0001', '999.000001');
    await new Promise((r) => setTimeout(r, 150));
    expect((await acmeAlert()).state).toBe('open');

    await react('reaction_added', 'U0ALICE001', 'eyes', 'C0ACME0001', ts);
    await waitUntil(async () => (await acmeAlert()).claimedBy === 'U0ALICE001');
    await react('reaction_added', 'U0BOB00001', 'eyes', 'C0ACME0001', ts);
    const note = await t.fake.waitFor(() => t.fake.callsTo('chat.postEphemeral').find((c) => c.args.user === 'U0BOB00001'));
    expect(String(note.args.text)).toContain('<@U0ALICE001> already owns this follow-up');
    expect((await acmeAlert()).claimedBy).toBe('U0ALICE001');

    await deliverer().deliverDue();
    const update = t.fake.callsTo('chat.update').filter((c) => c.args.ts === ts).at(-1);
    expect(JSON.stringify(update?.args.blocks)).toContain('Claimed by <@U0ALICE001>');
  });

  it('releases the claim when the claimer removes :eyes:, but not when someone else does', async () => {
    const ts = (await acmeAlert()).slackTs ?? '';
    await react('reaction_removed', 'U0BOB00001', 'eyes', 'C0ACME0001', ts);
    await new Promise((r) => setTimeout(r, 150));
    expect((await acmeAlert()).claimedBy).toBe('U0ALICE001');
    await react('reaction_removed', 'U0ALICE001', 'eyes', 'C0ACME0001', ts);
    await waitUntil(async () => (await acmeAlert()).state === 'open');
    expect((await acmeAlert()).claimedBy).toBeNull();
  });

  it('claims with the Claim button and resolves with :white_check_mark:, recording who and when', async () => {
    const alert = await acmeAlert();
    const res = await sendInteraction(t.eventsUrl, {
      type: 'block_actions', user: { id: 'U0CAROL001' }, team: { id: 'T0FAKE0001' }, channel: { id: 'C0ACME0001' },
      response_url: t.fake.responseUrl('claim'), trigger_id: 't',
      actions: [{ type: 'button', action_id: ACTION_IDS.claimAlert, value: String(alert.id), block_id: 'b' }],
    });
    expect(res.status).toBe(200);
    await waitUntil(async () => (await acmeAlert()).claimedBy === 'U0CAROL001');
    await react('reaction_added', 'U0CAROL001', 'white_check_mark', 'C0ACME0001', alert.slackTs ?? '');
    await waitUntil(async () => (await acmeAlert()).state === 'resolved');
    const resolved = await acmeAlert();
    expect(resolved).toMatchObject({ resolvedBy: 'U0CAROL001', openKey: null });
    expect(resolved.resolvedAt?.getTime()).toBe(now.getTime());
    await deliverer().deliverDue();
    const last = t.fake.callsTo('chat.update').filter((c) => c.args.ts === alert.slackTs).at(-1);
    expect(JSON.stringify(last?.args.blocks)).toContain('Resolved by <@U0CAROL001>');
    expect(JSON.stringify(last?.args.blocks)).not.toContain(ACTION_IDS.claimAlert);
  });

  it('does not reopen a resolved alert while nothing changes', async () => {
    now = new Date(now.getTime() + 15 * 60_000);
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    expect(await t.db.prisma.alert.count({ where: { accountId: ids.get('ACME') } })).toBe(1);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
