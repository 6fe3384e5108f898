// alerts: 1,000 alerts across 1,000 channels against a fake Slack that allows
// about one message per second per channel and answers 429 + Retry-After.
import { OutboxSignal } from '../src/app-deps.js';
import { AlertDeliverer } from '../src/alerts/deliver-outbox.js';
import { runRecomputeAndAlerts } from '../src/alerts/recompute-and-alert.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createSlackClient } from '../src/slack/web-client.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { intArg, openPostgresBench, recordResult, resultLine } from './support.js';
import { DECLINING } from '../test/support/seed.js';
import { ensureCatalogueAndModels } from '../src/models/model-store.js';

export async function benchAlerts(): Promise<string[]> {
  const count = intArg('alerts', 1_000);
  const bench = await openPostgresBench();
  const fake = await new FakeSlack().start();
  fake.channelRateLimit = { perSecond: 1, retryAfterSeconds: 1 };
  try {
    const now = new Date();
    const prisma = bench.db.prisma;
    await ensureCatalogueAndModels(prisma);
    await prisma.$executeRaw`
      INSERT INTO accounts (external_id, name, name_key, slack_channel_id, updated_at)
      SELECT 'AL-' || i, 'Alert Account ' || i, 'alert account ' || i, 'C' || lpad(i::text, 10, '0'), now() FROM generate_series(1, ${count}::int) AS i`;
    const keys = Object.keys(DECLINING);
    const values = Object.values(DECLINING);
    await prisma.$executeRaw`
      INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source, updated_at)
      SELECT a.id, m.k, m.v, ${new Date(now.getTime() - 3_600_000)}, 'bench', now()
      FROM accounts a CROSS JOIN unnest(${keys}::text[], ${values}::float8[]) AS m(k, v) WHERE a.external_id LIKE 'AL-%'`;
    const logger = createLogger({ level: 'error' });
    const config = loadConfig({ SLACK_API_URL: fake.apiUrl });
    const deps = { db: bench.db, clock: () => new Date(), logger, config, outbox: new OutboxSignal(), slack: createSlackClient('xoxb-bench', config, logger, { retries: 0, timeoutMs: 5_000 }) };
    const recompute = await runRecomputeAndAlerts(deps, { trigger: 'cli' });
    const opened = recompute.ran ? recompute.result.alertsOpened : 0;
    const deliverer = new AlertDeliverer(deps);
    const started = performance.now();
    while ((await prisma.slackOutbox.count({ where: { status: { in: ['pending', 'sending'] } } })) > 0 && performance.now() - started < 300_000) {
      await deliverer.deliverDue(1_000);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    const posts = [...fake.messages.values()].reduce((n, list) => n + list.length, 0);
    const duplicates = [...fake.messages.values()].reduce((n, list) => n + Math.max(0, list.length - 1), 0);
    const rateLimited = fake.callsTo('chat.postMessage').length - posts;
    const failed = await prisma.slackOutbox.count({ where: { status: 'failed' } });
    const line = resultLine('alerts', { alerts: opened, channels: count, seconds, posts, duplicates, responses_429: rateLimited, failed, posts_per_s: posts / seconds });
    await recordResult('alerts', line);
    return [line];
  } finally {
    await fake.stop();
    await bench.drop();
  }
}
