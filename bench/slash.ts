// slash: signed /health requests at 50 concurrent against 10,000 accounts,
// through the real HTTP endpoint: time to acknowledgement, to the reply
// reaching the fake response_url, and (charts on: every account has 90 days of
// history) to the reply carrying its uploaded chart; plus the time to render
// one 90-point chart (SVG + PNG) on its own.
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
import { renderPng } from '../src/charts/render-png.js';
import { renderScoreChart, type ChartPoint } from '../src/charts/score-chart.js';
import { SCORE_GROUPS } from '../src/scoring/group-scores.js';

/** Median and p95 of rendering one chart of `points` daily snapshots with five group lines. */
async function benchChartRender(points: number, runs: number): Promise<{ p50: number; p95: number; bytes: number }> {
  const to = new Date();
  const history: ChartPoint[] = Array.from({ length: points }, (_, i) => {
    const score = 80 - i * (45 / points) + (i % 7) * 1.5;
    return {
      asOf: new Date(to.getTime() - (points - 1 - i) * 86_400_000), score, band: score >= 75 ? 'healthy' : score >= 55 ? 'watch' : score >= 35 ? 'at_risk' : 'critical',
      modelVersionId: i < points / 2 ? 1 : 2, modelVersion: i < points / 2 ? 1 : 2,
      groups: SCORE_GROUPS.slice(0, 5).map((group, g) => ({ group, score: Math.max(0, score - g * 6 + (i % 5)), completeness: 1, weight: 1, measureCount: 2 })),
    };
  });
  const ms: number[] = [];
  let bytes = 0;
  for (let r = 0; r < runs + 3; r += 1) {
    const started = performance.now();
    const png = await renderPng(renderScoreChart({ title: 'Bench account — score, last 90 days', to, cutoffs: { healthyMin: 75, watchMin: 55, atRiskMin: 35 }, points: history }).svg);
    if (r >= 3) ms.push(performance.now() - started);
    bytes = png.data.length;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), bytes };
}

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
 * The embedded database, on its own thread as `serve` opens it: /health
 * acknowledgements while a full recomputation of 10,000 accounts (every
 * snapshot rewritten, alerts judged) runs, a few requests at a time, from its
 * start to its end.
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
    const run = async (serverUrl: string, count: number, prefix: string) => {
      const ackMs: number[] = [];
      const replyMs: number[] = [];
      // The next request goes out as soon as a reply is in, as before charts; the
      // charted replies are read afterwards from when the fake received them.
      const startedAt = new Map<string, number>();
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < count; i = next++) {
          const id = `${prefix}${i}`;
          const started = performance.now();
          const wallStarted = Date.now();
          const res = await sendSlashCommand(`${serverUrl}/slack/events`, { text: `B-${1 + ((i * 7919) % accounts)}`, response_url: fake.responseUrl(id) });
          if (res.status !== 200) throw new Error(`status ${res.status}`);
          ackMs.push(res.ms);
          await fake.waitFor(() => fake.responses.some((r) => r.id === id), 10_000);
          replyMs.push(performance.now() - started);
          startedAt.set(id, wallStarted);
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - started) / 1000;
      const charted = () => {
        const at = new Map<string, number>();
        for (const r of fake.responses) if (startedAt.has(r.id) && !at.has(r.id) && JSON.stringify(r.body.blocks ?? []).includes('"slack_file"')) at.set(r.id, r.at);
        return at;
      };
      // Charts still rendering or uploading: wait until every reply has one, or none arrives for 5 s.
      for (let seen = -1, quiet = 0; quiet < 5 && charted().size < startedAt.size; quiet = charted().size === seen ? quiet + 1 : 0) {
        seen = charted().size;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const chartAt = charted();
      const chartMs = [...chartAt].map(([id, at]) => at - (startedAt.get(id) ?? at));
      const noChart = startedAt.size - chartAt.size;
      return { ackMs: ackMs.sort((a, b) => a - b), replyMs: replyMs.sort((a, b) => a - b), chartMs: chartMs.sort((a, b) => a - b), noChart, seconds };
    };
    // Each server first meets a cold process (query plans compiled, pool connections
    // opened, code not yet optimised): reported on its own, then measured warm.
    // Charts off is the same app in a workspace that refused files:write: one
    // upload is refused, then charts pause, so it renders nothing after the first.
    const measure = async (label: string, charts: boolean) => {
      const server = await startBenchServer(bench.db, fake);
      if (!charts) fake.script('files.getUploadURLExternal', { status: 200, body: { ok: false, error: 'missing_scope' } });
      const cold = await run(server.url, intArg('warmup', 100), `${label}w`);
      const warm = await run(server.url, requests, `${label}b`);
      await server.stop();
      return { cold, warm };
    };
    const off = (await measure('off', false)).warm;
    const { cold, warm } = await measure('on', true);
    const { ackMs, replyMs, chartMs, noChart, seconds } = warm;
    const render = await benchChartRender(90, intArg('chart-runs', 30));
    const line = resultLine('slash', {
      accounts, requests, concurrency, ack_p50_ms: percentile(ackMs, 50), ack_p95_ms: percentile(ackMs, 95), ack_p99_ms: percentile(ackMs, 99),
      reply_p50_ms: percentile(replyMs, 50), reply_p95_ms: percentile(replyMs, 95), reply_p99_ms: percentile(replyMs, 99), requests_per_s: requests / seconds,
      cold_ack_max_ms: cold.ackMs.at(-1) ?? Number.NaN, cold_reply_max_ms: cold.replyMs.at(-1) ?? Number.NaN,
      charts_off_ack_p95_ms: percentile(off.ackMs, 95), charts_off_reply_p95_ms: percentile(off.replyMs, 95), charts_off_requests_per_s: requests / off.seconds,
      reply_p95_ratio_to_charts_off: percentile(replyMs, 95) / percentile(off.replyMs, 95),
      chart_reply_p50_ms: percentile(chartMs, 50), chart_reply_p95_ms: percentile(chartMs, 95), replies_without_chart: noChart,
      chart_render_90pt_p50_ms: render.p50, chart_render_90pt_p95_ms: render.p95, chart_png_bytes: render.bytes,
    });
    await recordResult('slash', line);
    return [line];
  } finally {
    await fake.stop();
    await bench.drop();
  }
}
