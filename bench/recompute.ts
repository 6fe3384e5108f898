// recompute: the product's recomputation — scores, explanation, snapshots and
// alert decisions in one transaction, exactly as the scheduler runs it — against
// one hand-written set-based SQL statement doing the same scoring work (the
// practical limit), measured in the same run.
//
// The baseline is fair: for every account in scope it computes each measure's
// points (linear between poor and good, clamped; stale and missing measures
// kept), the weighted total over fresh measures, completeness, the band from
// the model's cut-offs (insufficient data below the minimum completeness), the
// points each measure lost, and writes one row per account with all of that and
// its components as JSON. It does not move current-score pointers nor judge
// alerts (the product does both in its figure).
//
// Product figures: `seconds` scores a portfolio none of whose accounts has a
// current score (every snapshot written, every alert judged: the worst case,
// e.g. after a model change or the first run); `tick` is the next 15-minute run
// with nothing new; `tick_changed_1pct` the one after 1 % of accounts received
// new readings.
//
// `--keep NAME` (PostgreSQL only) keeps database NAME after the run and, when
// it already holds a portfolio generated with the same --accounts/--days/--every,
// reuses it instead of generating one (~7 minutes at 100,000 accounts): readings
// added by the previous run's ticks are removed and the score tables (score_runs,
// score_snapshots, account_scores, alerts, slack_outbox, score_changes) emptied,
// so each run measures the same work. `setup_seconds` is then the reset time.
// Drop it when done: psql -c 'DROP DATABASE NAME'.
import { recordRunAlerts } from '../src/alerts/record-run-alerts.js';
import { Prisma as Sql } from '../src/generated/prisma/client.js';
import { createLogger } from '../src/logger.js';
import { recomputeScores } from '../src/scoring-run/recompute.js';
import { addReadings, intArg, openPgliteBench, openPostgresBench, preparePortfolio, recordResult, resultLine, type BenchDb } from './support.js';

const asOf = new Date('2026-11-22T00:00:00Z');
const TICK_MS = 15 * 60_000;

/** The fair baseline over `latest` (where each measure's newest value comes from); returns seconds. */
async function timeScoresSql(bench: BenchDb, table: string, latest: Sql.Sql): Promise<number> {
  const prisma = bench.db.prisma;
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table}`);
  const started = performance.now();
  await prisma.$executeRaw`
    CREATE TABLE ${Sql.raw(table)} AS
    WITH latest AS (${latest}),
    model AS (
      SELECT coalesce(hm.segment, '') AS seg, v.id AS version_id, v.healthy_min, v.watch_min, v.at_risk_min, v.min_completeness,
             mm.metric_key, mm.weight, mm.good, mm.poor, md.freshness_days
      FROM health_models hm JOIN health_model_versions v ON v.id = hm.current_version_id
      JOIN model_measures mm ON mm.version_id = v.id JOIN metric_definitions md ON md.key = mm.metric_key),
    scoped AS (
      SELECT a.id, coalesce(CASE WHEN a.segment IN (SELECT segment FROM health_models WHERE segment IS NOT NULL) THEN a.segment END, '') AS seg
      FROM accounts a WHERE a.churned_on IS NULL OR a.churned_on > ${asOf}),
    per AS (
      SELECT s.id, m.version_id, m.healthy_min, m.watch_min, m.at_risk_min, m.min_completeness, m.metric_key, m.weight, m.good, m.poor, l.value, l.observed_at,
             coalesce(l.observed_at >= ${asOf}::timestamptz - make_interval(days => m.freshness_days), false) AS fresh,
             CASE WHEN m.good = m.poor THEN CASE WHEN l.value = m.good THEN 100 ELSE 0 END
                  ELSE least(100, greatest(0, (l.value - m.poor) / (m.good - m.poor) * 100)) END AS points
      FROM scoped s JOIN model m ON m.seg = s.seg
      LEFT JOIN latest l ON l.account_id = s.id AND l.metric_key = m.metric_key
        AND l.observed_at <= ${asOf} AND l.observed_at > ${asOf}::timestamptz - interval '365 days'),
    weighted AS (
      SELECT per.*, coalesce(sum(weight) FILTER (WHERE fresh) OVER w, 0) AS fresh_w, sum(weight) OVER w AS total_w
      FROM per WINDOW w AS (PARTITION BY id)),
    scored AS (
      SELECT id, min(version_id) AS version_id, min(healthy_min) AS healthy_min, min(watch_min) AS watch_min, min(at_risk_min) AS at_risk_min,
             min(fresh_w) / min(total_w) AS completeness, min(min_completeness) AS min_completeness,
             round((sum(weight * points) FILTER (WHERE fresh) / nullif(min(fresh_w), 0))::numeric, 1)::float8 AS raw_score,
             json_agg(json_build_array(metric_key, weight, good, poor, value, (extract(epoch FROM observed_at) * 1000)::bigint,
                        CASE WHEN fresh THEN 0 ELSE 1 END,
                        CASE WHEN fresh THEN round(points::numeric, 1) END,
                        CASE WHEN fresh THEN round((weight / fresh_w * (100 - points))::numeric, 1) ELSE 0 END)
                      ORDER BY fresh DESC, CASE WHEN fresh THEN weight / fresh_w * (100 - points) END DESC, weight DESC) AS components
      FROM weighted GROUP BY id)
    SELECT id AS account_id, version_id, ${asOf}::timestamptz AS as_of,
           CASE WHEN completeness < min_completeness OR raw_score IS NULL THEN NULL ELSE raw_score END AS score,
           CASE WHEN completeness < min_completeness OR raw_score IS NULL THEN 'insufficient_data'
                WHEN raw_score >= healthy_min THEN 'healthy' WHEN raw_score >= watch_min THEN 'watch'
                WHEN raw_score >= at_risk_min THEN 'at_risk' ELSE 'critical' END AS band,
           round(completeness::numeric, 3)::float8 AS completeness, components
    FROM scored`;
  return (performance.now() - started) / 1000;
}

/** Over the same newest-value table the product reads: the practical limit (exported for profiling scripts). */
export const sqlBaseline = (bench: BenchDb) => timeScoresSql(bench, 'bench_sql_scores', Sql.sql`SELECT account_id, metric_key, value, observed_at FROM metric_latest`);

/** Over the raw history (newest per measure by DISTINCT ON), as it would be without metric_latest. */
export const sqlHistoryBaseline = (bench: BenchDb) =>
  timeScoresSql(
    bench,
    'bench_sql_history_scores',
    Sql.sql`SELECT DISTINCT ON (account_id, metric_key) account_id, metric_key, value, observed_at
      FROM metric_observations WHERE observed_at <= ${asOf} AND observed_at > ${asOf}::timestamptz - interval '365 days'
      ORDER BY account_id DESC, metric_key DESC, observed_at DESC`,
  );

async function measure(bench: BenchDb, accounts: number, days: number, every: number): Promise<string> {
  const generateStarted = performance.now();
  const { rows, reused } = await preparePortfolio(bench, accounts, days, every, asOf);
  if (reused) console.error(`recompute[${bench.label}]: reusing the portfolio in database ${bench.kept ?? ''}`);
  const setupSeconds = (performance.now() - generateStarted) / 1000;
  const sqlSeconds = await sqlBaseline(bench);
  const sqlHistorySeconds = await sqlHistoryBaseline(bench);
  const deps = { db: bench.db, logger: createLogger({ level: 'error' }) };

  const started = performance.now();
  const full = await recomputeScores({ ...deps, clock: () => asOf }, { trigger: 'schedule', asOf, afterSnapshots: recordRunAlerts() });
  const seconds = (performance.now() - started) / 1000;
  console.error(`recompute[${bench.label}]: full run ${seconds.toFixed(2)} s, phases (ms since start) ${JSON.stringify(full.phases)}`);

  const next = new Date(asOf.getTime() + TICK_MS);
  const tickStarted = performance.now();
  const tick = await recomputeScores({ ...deps, clock: () => next }, { trigger: 'schedule', asOf: next, afterSnapshots: recordRunAlerts() });
  const tickSeconds = (performance.now() - tickStarted) / 1000;

  // 1 % of accounts get three new readings between two ticks.
  await addReadings(bench.db, 100, new Date(next.getTime() + 5 * 60_000));
  const third = new Date(next.getTime() + TICK_MS);
  const changedStarted = performance.now();
  const changed = await recomputeScores({ ...deps, clock: () => third }, { trigger: 'schedule', asOf: third, afterSnapshots: recordRunAlerts() });
  const changedSeconds = (performance.now() - changedStarted) / 1000;
  // The baseline must agree with the product, or the ratio compares different work.
  const sqlBands = await bench.db.prisma.$queryRawUnsafe<{ band: string; n: number }[]>('SELECT band, count(*)::int AS n FROM bench_sql_scores GROUP BY band ORDER BY band');
  console.error(`recompute[${bench.label}]: baseline bands ${JSON.stringify(Object.fromEntries(sqlBands.map((r) => [r.band, r.n])))}`);
  const atRisk = ((full.byBand.at_risk ?? 0) + (full.byBand.critical ?? 0)) / full.accountsScored;
  console.error(
    `recompute[${bench.label}]: bands ${JSON.stringify(full.byBand)} (${(atRisk * 100).toFixed(1)} % at risk or critical); ` +
      `quiet tick ${tick.mode} scored ${tick.accountsComputed}; 1 % tick ${changed.mode} scored ${changed.accountsComputed}, wrote ${changed.snapshotsWritten}`,
  );

  return resultLine(`recompute[${bench.label}]`, {
    accounts: full.accountsScored, observations: rows, seconds, sql_seconds: sqlSeconds, ratio_to_sql: seconds / sqlSeconds,
    accounts_per_s: Math.round(full.accountsScored / seconds), snapshots: full.snapshotsWritten, alerts: full.alertsOpened,
    tick_seconds: tickSeconds, tick_snapshots: tick.snapshotsWritten, sql_history_seconds: sqlHistorySeconds, setup_seconds: setupSeconds,
    tick_changed_1pct_seconds: changedSeconds,
  });
}

export async function benchRecompute(): Promise<string[]> {
  const lines: string[] = [];
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const days = intArg('days', 90);
  const every = intArg('every', 7);
  // PostgreSQL last: the bench's final line is recompute[postgres].
  const pglite = only === 'postgres' ? null : await openPgliteBench();
  if (pglite) try {
    lines.push(await measure(pglite, intArg('pglite-accounts', 10_000), days, every));
  } finally {
    await pglite.drop();
  }
  const keep = process.argv.includes('--keep') ? process.argv[process.argv.indexOf('--keep') + 1] : undefined;
  if (process.argv.includes('--keep') && (keep === undefined || keep.startsWith('--'))) throw new Error('--keep needs a database name');
  const postgres = only === 'pglite' ? null : await openPostgresBench(keep);
  if (postgres) try {
    lines.push(await measure(postgres, intArg('accounts', 100_000), days, every));
  } finally {
    await postgres.drop();
  }
  for (const line of lines) await recordResult(line.split(':')[0] ?? 'recompute', line);
  return lines;
}
