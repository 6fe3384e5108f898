// recompute: the product's recomputation — scores, explanation, snapshots and
// alert decisions in one transaction, exactly as the scheduler runs it — against
// one hand-written set-based SQL statement computing the same weighted scores
// from the same inputs (the practical limit), measured in the same run.
//
// Two product figures: `full` scores a portfolio none of whose accounts has a
// current score (every snapshot written, every alert judged: the worst case,
// e.g. after a model change), `tick` is the next 15-minute run with nothing new.
import { recordRunAlerts } from '../src/alerts/record-run-alerts.js';
import { Prisma as Sql } from '../src/generated/prisma/client.js';
import { createLogger } from '../src/logger.js';
import { recomputeScores } from '../src/scoring-run/recompute.js';
import { generatePortfolio, intArg, openPgliteBench, openPostgresBench, recordResult, resultLine, type BenchDb } from './support.js';

const asOf = new Date('2026-11-22T00:00:00Z');
const TICK_MS = 15 * 60_000;

/**
 * Same maths as computeScore, one statement: linear points clamped, weighted
 * mean over the measures with fresh data. `latest` is where each measure's
 * newest value comes from.
 */
async function timeScoresSql(bench: BenchDb, table: string, latest: Sql.Sql): Promise<number> {
  const prisma = bench.db.prisma;
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS ${table}`);
  const started = performance.now();
  await prisma.$executeRaw`
    CREATE TABLE ${Sql.raw(table)} AS
    WITH latest AS (${latest}),
    model AS (
      SELECT hm.segment, mm.metric_key, mm.weight, mm.good, mm.poor, md.freshness_days
      FROM health_models hm JOIN model_measures mm ON mm.version_id = hm.current_version_id JOIN metric_definitions md ON md.key = mm.metric_key),
    scoped AS (
      SELECT a.id, coalesce(CASE WHEN a.segment IN (SELECT segment FROM health_models WHERE segment IS NOT NULL) THEN a.segment END, '') AS seg
      FROM accounts a WHERE a.churned_on IS NULL)
    SELECT s.id AS account_id,
           sum(m.weight * least(100, greatest(0, (l.value - m.poor) / (m.good - m.poor) * 100))) / nullif(sum(m.weight), 0) AS score
    FROM scoped s
    JOIN model m ON coalesce(m.segment, '') = s.seg
    JOIN latest l ON l.account_id = s.id AND l.metric_key = m.metric_key
      AND l.observed_at <= ${asOf} AND l.observed_at > ${asOf}::timestamptz - make_interval(days => m.freshness_days)
    GROUP BY s.id`;
  return (performance.now() - started) / 1000;
}

/** Over the same newest-value table the product reads: the practical limit. */
const sqlBaseline = (bench: BenchDb) => timeScoresSql(bench, 'bench_sql_scores', Sql.sql`SELECT account_id, metric_key, value, observed_at FROM metric_latest`);

/** Over the raw history (newest per measure by DISTINCT ON), as it would be without metric_latest. */
const sqlHistoryBaseline = (bench: BenchDb) =>
  timeScoresSql(
    bench,
    'bench_sql_history_scores',
    Sql.sql`SELECT DISTINCT ON (account_id, metric_key) account_id, metric_key, value, observed_at
      FROM metric_observations WHERE observed_at <= ${asOf} AND observed_at > ${asOf}::timestamptz - interval '365 days'
      ORDER BY account_id DESC, metric_key DESC, observed_at DESC`,
  );

async function measure(bench: BenchDb, accounts: number, days: number, every: number): Promise<string> {
  const generateStarted = performance.now();
  const rows = await generatePortfolio(bench.db, accounts, days, every, asOf);
  await bench.db.prisma.$executeRawUnsafe('ANALYZE');
  const setupSeconds = (performance.now() - generateStarted) / 1000;
  const sqlSeconds = await sqlBaseline(bench);
  const sqlHistorySeconds = await sqlHistoryBaseline(bench);
  const deps = { db: bench.db, logger: createLogger({ level: 'error' }) };

  const started = performance.now();
  const full = await recomputeScores({ ...deps, clock: () => asOf }, { trigger: 'schedule', asOf, afterSnapshots: recordRunAlerts() });
  const seconds = (performance.now() - started) / 1000;

  const next = new Date(asOf.getTime() + TICK_MS);
  const tickStarted = performance.now();
  const tick = await recomputeScores({ ...deps, clock: () => next }, { trigger: 'schedule', asOf: next, afterSnapshots: recordRunAlerts() });
  const tickSeconds = (performance.now() - tickStarted) / 1000;

  return resultLine(`recompute[${bench.label}]`, {
    accounts: full.accountsScored, observations: rows, seconds, sql_seconds: sqlSeconds, ratio_to_sql: seconds / sqlSeconds,
    accounts_per_s: Math.round(full.accountsScored / seconds), snapshots: full.snapshotsWritten, alerts: full.alertsOpened,
    tick_seconds: tickSeconds, tick_snapshots: tick.snapshotsWritten, sql_history_seconds: sqlHistorySeconds, setup_seconds: setupSeconds,
  });
}

export async function benchRecompute(): Promise<string[]> {
  const lines: string[] = [];
  const days = intArg('days', 90);
  const every = intArg('every', 7);
  const postgres = await openPostgresBench();
  try {
    lines.push(await measure(postgres, intArg('accounts', 100_000), days, every));
  } finally {
    await postgres.drop();
  }
  const pglite = await openPgliteBench();
  try {
    lines.push(await measure(pglite, intArg('pglite-accounts', 10_000), days, every));
  } finally {
    await pglite.drop();
  }
  for (const line of lines) await recordResult(line.split(':')[0] ?? 'recompute', line);
  return lines;
}
