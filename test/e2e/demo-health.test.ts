// The product's first impression, through Slack: after the demo loads, /health
// for a declining demo account answers with a low score whose biggest losses
// are exactly the measures that account declined on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, type DemoResult } from '../../src/demo/load-demo.js';
import { loadMetricDefinitions } from '../../src/models/model-store.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const now = new Date('2026-11-22T09:00:00Z');

interface Reply {
  blocks?: { type: string; text?: { text: string } }[];
}

describe('/health on the demo portfolio (pglite)', () => {
  let t: TestServer;
  let demo: DemoResult;
  beforeAll(async () => {
    t = await startTestServer('pglite', { clock: () => now });
    demo = await loadDemo({ db: t.db, clock: () => now, logger: t.server.deps.logger }, { seed: 7, accounts: 40 });
  }, 300_000);
  afterAll(async () => {
    await t.close();
  });

  it('names each declining account\'s real weak measures, biggest loss first', async () => {
    const labels = new Map([...(await loadMetricDefinitions(t.db.prisma)).values()].map((m) => [m.key, m.label]));
    const declining = [...demo.declines].slice(0, 4);
    expect(declining.length).toBeGreaterThan(0);
    for (const [i, [externalId, story]] of declining.entries()) {
      const res = await sendSlashCommand(t.eventsUrl, { text: externalId.toLowerCase(), response_url: t.fake.responseUrl(`demo${i}`) });
      expect(res.status).toBe(200);
      const reply = (await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === `demo${i}`))).body as Reply;
      const text = (reply.blocks ?? []).map((b) => b.text?.text ?? '').join('\n');
      const losses = [...text.matchAll(/• \*(.+?)\*: .*? — \*−([\d.]+) pts\*/g)].map((m) => m[1]);
      expect(new Set(losses.slice(0, story.length))).toEqual(new Set(story.map((key) => labels.get(key))));
      expect(text).toMatch(/\b\d{1,2}\/100\b/);
    }
  });
});
