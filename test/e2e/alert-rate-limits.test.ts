// Rate limits, in real time, with the delivery job as `serve` runs it: a 429
// with Retry-After holds back the whole channel until Retry-After has passed
// (other channels carry on), and one channel gets about one message a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecomputeAndAlerts } from '../../src/alerts/recompute-and-alert.js';
import { startAlertDelivery } from '../../src/jobs/deliver-alerts-job.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DECLINING, seedAccounts } from '../support/seed.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const BUSY = 'C0RATELIM1';
const OTHER = 'C0QUIET001';
const RETRY_AFTER_S = 2;

describe.each(DATABASE_KINDS)('alert delivery under rate limits (%s)', (kind) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer(kind);
    await seedAccounts(t.db, new Date(), [
      { externalId: 'RL1', name: 'Rate One', channel: BUSY, metrics: DECLINING },
      { externalId: 'RL2', name: 'Rate Two', channel: BUSY, metrics: DECLINING },
      { externalId: 'RL3', name: 'Rate Three', channel: BUSY, metrics: DECLINING },
      { externalId: 'QUIET', name: 'Quiet Co', channel: OTHER, metrics: DECLINING },
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('waits out Retry-After for the whole channel, keeps other channels going, and paces one channel at ~1/s', async () => {
    // Slack itself would answer 429 to a second post within a second.
    t.fake.channelRateLimit = { perSecond: 1, retryAfterSeconds: 1 };
    t.fake.scriptPostsTo(BUSY, { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(RETRY_AFTER_S) } });
    const job = startAlertDelivery(t.server.deps);
    try {
      await runRecomputeAndAlerts(t.server.deps, { trigger: 'cli' });
      await t.fake.waitFor(() => t.fake.topLevel(BUSY).length === 3 && t.fake.topLevel(OTHER).length === 1, 15_000);
    } finally {
      await job.stop();
    }
    const busyCalls = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === BUSY).map((c) => c.at);
    const [limitedAt = 0, ...afterLimit] = busyCalls;
    // One 429, then three posts, none before Retry-After had passed.
    expect(afterLimit).toHaveLength(3);
    expect(Math.min(...afterLimit) - limitedAt).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1_000);
    // Paced: at least a second between two messages to one channel, so no further 429.
    for (let i = 1; i < afterLimit.length; i += 1) expect((afterLimit[i] ?? 0) - (afterLimit[i - 1] ?? 0)).toBeGreaterThanOrEqual(1_000);
    // The quiet channel did not wait for the busy one.
    const quietAt = t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === OTHER)?.at ?? Infinity;
    expect(quietAt - limitedAt).toBeLessThan(RETRY_AFTER_S * 1_000);
    const rows = await t.db.prisma.slackOutbox.findMany({ where: { channelId: BUSY } });
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    // A rate limit is not the message's fault: it does not use up attempts.
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 1, 1]);
  }, 30_000);
});
