// ingest: metric observations through CSV import and through the HTTP API on
// PostgreSQL; peak RSS while streaming a large CSV stays flat.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createApiToken } from '../src/api-tokens/api-tokens.js';
import { loadConfig } from '../src/config.js';
import { importCsv } from '../src/ingest/import-csv.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server/start-server.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { TEST_SIGNING_SECRET } from '../test/support/slack-requests.js';
import { generatePortfolio, intArg, openPostgresBench, recordResult, resultLine } from './support.js';

const METRICS = ['orders_30d', 'logins_30d', 'nps', 'csat', 'open_support_tickets'];

async function writeCsv(file: string, rows: number, accounts: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('account,metric,value,observed_at\n');
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < rows; i += 1) {
    // Every row a distinct (account, metric, hour): a file of real observations, not re-sends.
    const metric = METRICS[Math.floor(i / accounts) % METRICS.length];
    const hour = Math.floor(i / (accounts * METRICS.length));
    const line = `B-${1 + (i % accounts)},${metric},${i % 97},${new Date(base + hour * 3_600_000).toISOString()}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function benchIngest(): Promise<string[]> {
  const rows = intArg('rows', 5_000_000);
  const accounts = 2_000;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ah-bench-'));
  const bench = await openPostgresBench();
  const fake = await new FakeSlack().start();
  try {
    await generatePortfolio(bench.db, accounts, 1, 1, new Date());
    const file = path.join(dir, 'metrics.csv');
    await writeCsv(file, rows, accounts);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const summary = await importCsv(bench.db.prisma, 'metrics', createReadStream(file));
    const csvSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);

    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0', LOG_LEVEL: 'error' });
    const server = await startServer({ config, db: bench.db, logger: createLogger({ level: 'error' }), runBackgroundJobs: false });
    const { token } = await createApiToken(bench.db.prisma, 'bench');
    const calls = 20;
    const perCall = 10_000;
    const apiStarted = performance.now();
    for (let c = 0; c < calls; c += 1) {
      const body = JSON.stringify(Array.from({ length: perCall }, (_, i) => ({ account: `B-${1 + (i % accounts)}`, metric: METRICS[i % METRICS.length], value: i % 50, observed_at: new Date(Date.UTC(2026, 5, 1) + c * 86_400_000 + Math.floor(i / accounts) * 60_000).toISOString() })));
      const res = await fetch(`${server.url}/api/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      if (res.status !== 200) throw new Error(`API answered ${res.status}: ${await res.text()}`);
    }
    const apiSeconds = (performance.now() - apiStarted) / 1000;
    await server.stop();
    const line = resultLine('ingest', {
      csv_rows: summary.loaded, csv_seconds: csvSeconds, csv_rows_per_s: Math.round(summary.loaded / csvSeconds),
      api_rows: calls * perCall, api_seconds: apiSeconds, api_rows_per_s: Math.round((calls * perCall) / apiSeconds),
      rss_before_mb: Math.round(rssBefore / 2 ** 20), peak_rss_mb: Math.round(peakRss / 2 ** 20),
    });
    await recordResult('ingest', line);
    return [line];
  } finally {
    await fake.stop();
    await bench.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
