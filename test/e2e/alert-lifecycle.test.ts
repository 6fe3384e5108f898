// An alert's life after it is posted: worse news updates the same message and
// adds a thread reply (never a new post); an unclaimed alert is re-surfaced once
// to the owner; recovery closes it automatically; its outcome is recorded and
// /health alerts reports claim and recovery rates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliverer } from '../../src/alerts/deliver-outbox.js';
import { escalateUnclaimed, recordOutcomes } from '../../src/alerts/maintain-alerts.js';
import { runRecomputeAndAlerts } from '../../src/alerts/recompute-and-alert.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { HEALTHY, seedAccounts, setMetrics } from '../support/seed.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const start = new Date('2026-09-01T09:00:00Z');

describe.each(DATABASE_KINDS)('alert lifecycle (%s)', (kind) => {
  let t: TestServer;
  let now = start;
  let accountId: number;
  const deps = () => ({ ...t.server.deps, clock: () => now });
  const deliver = () => new AlertDeliverer(deps(), { channelGapMs: 0 }).deliverDue();
  const channel = 'C0LIFE0001';
  const topLevelPosts = () => (t.fake.messages.get(channel) ?? []).filter((m) => m.thread_ts === undefined);
  const replies = () => (t.fake.messages.get(channel) ?? []).filter((m) => m.thread_ts !== undefined);
  const step = async (days: number, metrics: Record<string, number>) => {
    now = new Date(now.getTime() + days * DAY);
    await setMetrics(t.db, accountId, metrics, new Date(now.getTime() - HOUR));
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    await deliver();
  };

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
    const ids = await seedAccounts(t.db, start, [{ externalId: 'LIFE', name: 'Lifecycle Ltd', channel, owner: 'U0OWNER001', metrics: HEALTHY }]);
    accountId = ids.get('LIFE') ?? 0;
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: start });
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens on a fall into watch, then updates in place with a thread reply when it gets worse', async () => {
    await step(3, { ...HEALTHY, orders_30d: 4, logins_30d: 40, feature_adoption_pct: 25 });
    expect(topLevelPosts()).toHaveLength(1);
    await step(3, { ...HEALTHY, orders_30d: 1, logins_30d: 10, feature_adoption_pct: 5, open_support_tickets: 14, nps: -40, csat: 50 });
    expect(topLevelPosts()).toHaveLength(1);
    expect(replies()).toHaveLength(1);
    expect(String(replies()[0]?.text)).toMatch(/^Update: band (watch|at risk) → (at risk|critical)/);
    const alert = await t.db.prisma.alert.findFirstOrThrow({ where: { accountId } });
    expect(t.fake.callsTo('chat.update').some((c) => c.args.ts === alert.slackTs)).toBe(true);
  });

  it('re-surfaces an unclaimed alert once in the thread, mentioning the owner', async () => {
    now = new Date(now.getTime() + 25 * HOUR);
    expect(await escalateUnclaimed(t.db.prisma, now)).toBe(1);
    expect(await escalateUnclaimed(t.db.prisma, new Date(now.getTime() + DAY))).toBe(0);
    await deliver();
    expect(replies().at(-1)?.text).toBe('<@U0OWNER001>, this alert has been unclaimed for 24 hours. React :eyes: to own the follow-up.');
  });

  it('closes automatically when the score recovers, updating the message to say so', async () => {
    await step(7, HEALTHY);
    const alert = await t.db.prisma.alert.findFirstOrThrow({ where: { accountId } });
    expect(alert).toMatchObject({ state: 'auto_resolved', openKey: null, resolvedBy: 'system' });
    expect(String(replies().at(-1)?.text)).toMatch(/^:white_check_mark: Resolved automatically: score recovered to \d+/);
    const last = t.fake.callsTo('chat.update').filter((c) => c.args.ts === alert.slackTs).at(-1);
    expect(String(last?.args.text)).toMatch(/^✅ Lifecycle Ltd: health alert closed/);
    expect(topLevelPosts()).toHaveLength(1);
  });

  it('records the outcome and reports claim and recovery rates in /health alerts', async () => {
    expect(await recordOutcomes(t.db.prisma, now)).toBe(1);
    expect((await t.db.prisma.alert.findFirstOrThrow({ where: { accountId } })).outcome).toBe('recovered');
    const res = await sendSlashCommand(t.eventsUrl, { text: 'alerts', response_url: t.fake.responseUrl('stats') });
    expect(res.status).toBe(200);
    const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'stats'));
    expect(String(reply.body.text)).toBe('*Alerts, last 90 days*: 1 raised · claimed 0 (0%) · median time to claim n/a · recovered within 30 days of closing: 1 of 1 judged (100%)');
  });
});
