// Slack timing out mid-post, and arbitrary /health text through the real app.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliverer } from '../../src/alerts/deliver-outbox.js';
import { runRecomputeAndAlerts } from '../../src/alerts/recompute-and-alert.js';
import { DECLINING, seedAccounts } from '../support/seed.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('faults and fuzz (pglite)', () => {
  let t: TestServer;
  let now = new Date('2026-11-20T10:00:00Z');
  beforeAll(async () => {
    t = await startTestServer('pglite', { clock: () => now });
    await seedAccounts(t.db, now, [{ externalId: 'SLOW', name: 'Slow Channel Co', channel: 'C0SLOW0001', metrics: DECLINING }]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('delivers an alert exactly once when Slack times out on the first attempt', async () => {
    await runRecomputeAndAlerts({ ...t.server.deps, clock: () => now }, { trigger: 'cli', asOf: now });
    t.fake.script('chat.postMessage', { hang: true });
    const deliverer = () => new AlertDeliverer({ ...t.server.deps, clock: () => now }, { channelGapMs: 0 });
    const first = await deliverer().deliverDue();
    expect(first).toEqual({ sent: 0, failed: 0, deferred: 1 });
    const row = await t.db.prisma.slackOutbox.findFirstOrThrow({ where: { channelId: 'C0SLOW0001' } });
    expect(row.status).toBe('sending');
    now = new Date(now.getTime() + 10 * 60_000);
    expect(await deliverer().deliverDue()).toEqual({ sent: 1, failed: 0, deferred: 0 });
    expect(t.fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    expect(t.fake.messages.get('C0SLOW0001')).toHaveLength(1);
  }, 20_000);

  it('answers any /health text with a reply and never an error', async () => {
    const texts = fc.sample(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom("'; DROP TABLE accounts; --", '<script>alert(1)</script>', '%00%ff', 'sentiment', 'sentiment x 0 y', 'admin', 'x'.repeat(4_000))), { numRuns: 40, seed: 42 });
    for (const [i, text] of texts.entries()) {
      const res = await sendSlashCommand(t.eventsUrl, { text, response_url: t.fake.responseUrl(`fuzz${i}`) });
      expect(res.status).toBe(200);
      const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === `fuzz${i}`));
      expect(String(reply.body.text)).not.toMatch(/Something went wrong/);
    }
    expect(await t.db.prisma.account.count()).toBe(1);
    expect(t.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  }, 60_000);
});
