// slash: signed /health requests at 50 concurrent against 10,000 accounts,
// through the real HTTP endpoint: time to acknowledgement and to the reply
// reaching the fake response_url.
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { backfillScores } from '../src/scoring-run/backfill.js';
import { recomputeScores } from '../src/scoring-run/recompute.js';
import { startServer } from '../src/server/start-server.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { sendSlashCommand, TEST_SIGNING_SECRET } from '../test/support/slack-requests.js';
import { recordRunAlerts } from '../src/alerts/record-run-alerts.js';
import { addReadings, generatePortfolio, intArg, openPgliteBench, openPostgresBench, percentile, recordResult, resultLine } from './support.js';

const WEEK_MS = 7 * 86_400_000;

/** The real server (Bolt over HTTP, no background jobs) against a fake Slack. */
function startBenchServer(db: Database, fake: FakeSlack) {
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0', LOG_LEVEL: 'error' });
  return startServer({ config, db, logger: createLogger({ level: 'error' }), runBackgroundJobs: false, tuning: { retries: 0, timeoutMs: 5_000 } });
}

export async function benchSlash(): Promise<string[]> {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const lines = only === 'pglite-recompute' ? [] : await benchSlashPostgres();
  lines.push(await benchAckDuringRecompute());
  return lines;
}

/**
 * The embedded database runs in this process: /health acknowledgements while a
 * full recomputation of 10,000 accounts (every snapshot rewritten, alerts
 * judged) runs, a few requests at a time, from its start to its end.
 */
async function benchAckDuringRecompute(): Promise<string> {
  const accounts = intArg('pglite-accounts', 10_000);
  const concurrency = intArg('recompute-concurrency', 5);
  const bench = await openPgliteBench();
  const fake = await new FakeSlack().start();
  const now = new Date();
  try {
    await generatePortfolio(bench.db, accounts, 91, 7, now);
    const scoring = { db: bench.db, clock: () => now, logger: createLogger({ level: 'error' }) };
    await recomputeScores(scoring, { trigger: 'cli', asOf: now });
    const server = await startBenchServer(bench.db, fake);
    // Every account gets new readings, so the full run rewrites every snapshot.
    await addReadings(bench.db, 1, new Date(now.getTime() + 60_000));
    const later = new Date(now.getTime() + 15 * 60_000);
    const ackMs: number[] = [];
    let running = true;
    let sent = 0;
    const started = performance.now();
    const recompute = recomputeScores({ ...scoring, clock: () => later }, { trigger: 'cli', asOf: later, full: true, afterSnapshots: recordRunAlerts() }).finally(() => {
      running = false;
    });
    let failed = 0;
    const worker = async () => {
      while (running) {
        const i = sent++;
        const res = await sendSlashCommand(`${server.url}/slack/events`, { text: `B-${1 + ((i * 7919) % accounts)}`, response_url: fake.responseUrl(`r${i}`) }).catch((error: unknown) => {
          console.error(`slash[pglite-recompute]: request failed: ${String(error)}`);
          return null;
        });
        if (res?.status === 200) ackMs.push(res.ms);
        else failed += 1;
      }
    };
    await Promise.all([recompute, ...Array.from({ length: concurrency }, worker)]);
    const recomputeSeconds = (performance.now() - started) / 1000;
    await server.stop();
    ackMs.sort((a, b) => a - b);
    const line = resultLine('slash[pglite-recompute]', {
      accounts, concurrency, recompute_seconds: recomputeSeconds, acks: ackMs.length, failed,
      ack_p50_ms: percentile(ackMs, 50), ack_p99_ms: percentile(ackMs, 99), ack_max_ms: ackMs.at(-1) ?? Number.NaN,
    });
    await recordResult('slash[pglite-recompute]', line);
    return line;
  } finally {
    await fake.stop();
    await bench.drop();
  }
}

async function benchSlashPostgres(): Promise<string[]> {
  const accounts = intArg('accounts', 10_000);
  const requests = intArg('requests', 1_000);
  const concurrency = intArg('concurrency', 50);
  const bench = await openPostgresBench();
  const fake = await new FakeSlack().start();
  const now = new Date();
  try {
    // Three months of weekly history scored week by week, as after an import and
    // backfill, so /health reads a real trend rather than one snapshot.
    await generatePortfolio(bench.db, accounts, 91, 7, now);
    const scoring = { db: bench.db, clock: () => now, logger: createLogger({ level: 'error' }) };
    await backfillScores(scoring, { from: new Date(now.getTime() - 12 * WEEK_MS), to: new Date(now.getTime() - WEEK_MS), stepDays: 7 });
    await recomputeScores(scoring, { trigger: 'cli', asOf: now });
    const server = await startBenchServer(bench.db, fake);
    const run = async (count: number, prefix: string) => {
      const ackMs: number[] = [];
      const replyMs: number[] = [];
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < count; i = next++) {
          const id = `${prefix}${i}`;
          const started = performance.now();
          const res = await sendSlashCommand(`${server.url}/slack/events`, { text: `B-${1 + ((i * 7919) % accounts)}`, response_url: fake.responseUrl(id) });
          if (res.status !== 200) throw new Error(`status ${res.status}`);
          ackMs.push(res.ms);
          await fake.waitFor(() => fake.responses.some((r) => r.id === id), 10_000);
          replyMs.push(performance.now() - started);
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { ackMs: ackMs.sort((a, b) => a - b), replyMs: replyMs.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
    };
    // The first wave meets a cold process (query plans compiled, pool connections
    // opened, code not yet optimised): reported on its own, then measured warm.
    const cold = await run(intArg('warmup', 100), 'w');
    const { ackMs, replyMs, seconds } = await run(requests, 'b');
    await server.stop();
    const line = resultLine('slash', {
      accounts, requests, concurrency, ack_p50_ms: percentile(ackMs, 50), ack_p95_ms: percentile(ackMs, 95), ack_p99_ms: percentile(ackMs, 99),
      reply_p50_ms: percentile(replyMs, 50), reply_p95_ms: percentile(replyMs, 95), reply_p99_ms: percentile(replyMs, 99), requests_per_s: requests / seconds,
      cold_ack_max_ms: cold.ackMs.at(-1) ?? Number.NaN, cold_reply_max_ms: cold.replyMs.at(-1) ?? Number.NaN,
    });
    await recordResult('slash', line);
    return [line];
  } finally {
    await fake.stop();
    await bench.drop();
  }
}
