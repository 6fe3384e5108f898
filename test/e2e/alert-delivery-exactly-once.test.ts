// Exactly-once delivery where it used to break:
// - the Web API client's own retries re-posting after Slack accepted a post,
// - a lease running out while a deliverer still works through its batch,
// - a crash after a thread reply, which conversations.history cannot see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliverer, type DeliveryReport } from '../../src/alerts/deliver-outbox.js';
import { runRecomputeAndAlerts } from '../../src/alerts/recompute-and-alert.js';
import { createLogger } from '../../src/logger.js';
import { createSlackClient, DEFAULT_SLACK_TUNING } from '../../src/slack/web-client.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DECLINING, HEALTHY, seedAccounts, setMetrics } from '../support/seed.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WORSE = { ...HEALTHY, orders_30d: 1, logins_30d: 10, feature_adoption_pct: 5, open_support_tickets: 14, nps: -40, csat: 50 };

describe.each(DATABASE_KINDS)('alert delivery, exactly once (%s)', (kind) => {
  let t: TestServer;
  let now = new Date('2026-10-05T09:00:00Z');
  const deps = () => ({ ...t.server.deps, clock: () => now });
  const deliverer = (options = {}) => new AlertDeliverer(deps(), { channelGapMs: 0, ...options });
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const openAlerts = async (accounts: { externalId: string; channel: string }[]) => {
    const ids = await seedAccounts(t.db, now, accounts.map((a) => ({ ...a, name: `${a.externalId} Corp`, metrics: DECLINING })));
    later(HOUR);
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    return ids;
  };

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
  });
  afterAll(async () => {
    await t.close();
  });

  it('posts once through 500 then a 502 that Slack had accepted, with the production client tuning', async () => {
    await openAlerts([{ externalId: 'PROXY', channel: 'C0PROXY001' }]);
    // The client production builds (DEFAULT_SLACK_TUNING retries 5xx inside a call).
    expect(DEFAULT_SLACK_TUNING.retries).toBeGreaterThan(0);
    const production = createSlackClient('xoxb-test-token', t.config, createLogger({ level: 'error' }));
    const deliver = () => new AlertDeliverer({ ...deps(), slack: production }).deliverDue();
    t.fake.script('chat.postMessage', { status: 500, body: { ok: false } }, { status: 502, body: { ok: false }, applied: true });
    for (let i = 0; i < 4; i += 1) {
      await deliver();
      later(10 * 60_000);
    }
    expect(t.fake.topLevel('C0PROXY001')).toHaveLength(1);
    // Each call was a decision of the outbox: 500, then the accepted 502; the third pass found the post.
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0PROXY001')).toHaveLength(2);
    const row = await t.db.prisma.slackOutbox.findFirstOrThrow({ where: { channelId: 'C0PROXY001' } });
    expect(row).toMatchObject({ status: 'sent', slackTs: t.fake.topLevel('C0PROXY001')[0]?.ts });
  });

  it('posts once when Slack accepted a post and the answer never came (timeout)', async () => {
    await openAlerts([{ externalId: 'HANG', channel: 'C0HANG0001' }]);
    t.fake.script('chat.postMessage', { hang: true, applied: true });
    expect(await deliverer({ slackTimeoutMs: 300 }).deliverDue()).toEqual({ sent: 0, failed: 0, deferred: 1 });
    later(10 * 60_000);
    expect(await deliverer().deliverDue()).toEqual({ sent: 1, failed: 0, deferred: 0 });
    expect(t.fake.topLevel('C0HANG0001')).toHaveLength(1);
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0HANG0001')).toHaveLength(1);
  });

  it('lets a deliverer whose lease ran out skip the rows another deliverer holds', async () => {
    const channel = 'C0RACE0001';
    await openAlerts([1, 2, 3].map((n) => ({ externalId: `RACE${n}`, channel })));
    // The first deliverer leases all three rows for one second, posts the first
    // and stalls; its lease runs out and a second deliverer takes the rows over.
    // The first one resumes while the second is still mid-way (it has posted
    // the second row but not recorded it yet).
    const gate = deferred();
    const secondMidway = deferred();
    const second = deliverer({ leaseMs: 1_000, afterPost: async () => { secondMidway.resolve(); await gate.promise; } });
    let secondRun = null as Promise<DeliveryReport> | null;
    const first = deliverer({
      leaseMs: 1_000,
      afterPost: async () => {
        if (secondRun) return;
        later(10_000);
        secondRun = second.deliverDue();
        await secondMidway.promise;
      },
    });
    const firstReport = await first.deliverDue();
    gate.resolve();
    const secondReport = await secondRun;
    expect(t.fake.topLevel(channel)).toHaveLength(3);
    expect(firstReport.sent).toBe(1);
    expect(secondReport?.sent).toBe(3); // adopted the first post, sent the other two
    const alerts = await t.db.prisma.alert.findMany({ where: { slackChannelId: channel } });
    expect(new Set(alerts.map((a) => a.slackTs)).size).toBe(3);
    expect(await t.db.prisma.slackOutbox.count({ where: { channelId: channel, status: { not: 'sent' } } })).toBe(0);
  });

  it('does not repeat a thread reply after a crash, finding it with conversations.replies past other replies', async () => {
    const channel = 'C0THREAD01';
    const ids = await openAlerts([{ externalId: 'THREAD', channel }]);
    await deliverer().deliverDue();
    const alert = await t.db.prisma.alert.findFirstOrThrow({ where: { accountId: ids.get('THREAD') } });
    const ts = alert.slackTs ?? '';
    // People talk in the thread and the channel; then worse news queues an update and a reply.
    for (let i = 0; i < 250; i += 1) t.fake.addMessage(channel, `on it ${i}`, ts);
    later(DAY);
    await setMetrics(t.db, ids.get('THREAD') ?? 0, WORSE, new Date(now.getTime() - HOUR));
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    expect(await t.db.prisma.slackOutbox.count({ where: { alertId: alert.id, kind: 'thread_reply', status: 'pending' } })).toBe(1);

    await deliverer({ afterPost: () => { throw new Error('process killed'); } }).deliverDue();
    const botReplies = () => t.fake.threadReplies(channel, ts).filter((m) => m.user !== 'U0HUMAN001');
    expect(botReplies()).toHaveLength(1);
    for (let i = 0; i < 250; i += 1) t.fake.addMessage(channel, `chatter ${i}`);
    // Real Slack: a thread reply is not in the channel's history.
    expect(t.fake.topLevel(channel).some((m) => m.ts === botReplies()[0]?.ts)).toBe(false);

    later(5 * 60_000);
    await deliverer().deliverDue();
    await deliverer().deliverDue();
    expect(botReplies()).toHaveLength(1);
    const lookups = t.fake.callsTo('conversations.replies').filter((c) => c.args.channel === channel);
    expect(lookups.length).toBeGreaterThan(1); // paged past the people's replies
    expect(lookups.every((c) => c.args.ts === ts && typeof c.args.oldest === 'string')).toBe(true);
    const reply = await t.db.prisma.slackOutbox.findFirstOrThrow({ where: { alertId: alert.id, kind: 'thread_reply' } });
    expect(reply).toMatchObject({ status: 'sent', slackTs: botReplies()[0]?.ts });
  });

  it('finds a crashed post below a page of newer channel messages', async () => {
    const channel = 'C0BUSY0001';
    await openAlerts([{ externalId: 'BUSY', channel }]);
    await deliverer({ afterPost: () => { throw new Error('process killed'); } }).deliverDue();
    for (let i = 0; i < 450; i += 1) t.fake.addMessage(channel, `standup ${i}`);
    later(5 * 60_000);
    await deliverer().deliverDue();
    expect(t.fake.topLevel(channel).filter((m) => m.user !== 'U0HUMAN001')).toHaveLength(1);
    const lookups = t.fake.callsTo('conversations.history').filter((c) => c.args.channel === channel);
    expect(lookups.length).toBe(3);
    expect(lookups.every((c) => typeof c.args.oldest === 'string')).toBe(true);
    expect((await t.db.prisma.slackOutbox.findFirstOrThrow({ where: { channelId: channel } })).status).toBe('sent');
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
