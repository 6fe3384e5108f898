// recompute: the product's full recomputation vs one hand-written set-based SQL
// statement computing the same weighted scores (the practical limit).
import { createLogger } from '../src/logger.js';
import { recomputeScores } from '../src/scoring-run/recompute.js';
import { generatePortfolio, intArg, openPgliteBench, openPostgresBench, recordResult, resultLine, type BenchDb } from './support.js';

const asOf = new Date('2026-11-22T00:00:00Z');

async function sqlBaseline(bench: BenchDb): Promise<number> {
  const prisma = bench.db.prisma;
  const started = performance.now();
  // Same maths as computeScore: latest fresh observation per measure, linear points clamped, weighted mean.
  await prisma.$executeRawUnsafe('DROP TABLE IF EXISTS bench_sql_scores');
  await prisma.$executeRaw`
    CREATE TABLE bench_sql_scores AS
    WITH latest AS (
      SELECT DISTINCT ON (account_id, metric_key) account_id, metric_key, value, observed_at
      FROM metric_observations WHERE observed_at <= ${asOf} AND observed_at > ${asOf}::timestamptz - interval '365 days'
      ORDER BY account_id, metric_key, observed_at DESC),
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
    JOIN latest l ON l.account_id = s.id AND l.metric_key = m.metric_key AND l.observed_at > ${asOf}::timestamptz - make_interval(days => m.freshness_days)
    GROUP BY s.id`;
  const seconds = (performance.now() - started) / 1000;
  return seconds;
}

async function measure(bench: BenchDb, accounts: number, days: number, every: number): Promise<string> {
  const generateStarted = performance.now();
  const rows = await generatePortfolio(bench.db, accounts, days, every, asOf);
  const generateSeconds = (performance.now() - generateStarted) / 1000;
  await bench.db.prisma.$executeRawUnsafe('ANALYZE');
  const sqlSeconds = await sqlBaseline(bench);
  const started = performance.now();
  const result = await recomputeScores({ db: bench.db, clock: () => asOf, logger: createLogger({ level: 'error' }) }, { trigger: 'cli', asOf });
  const seconds = (performance.now() - started) / 1000;
  return resultLine(`recompute[${bench.label}]`, {
    accounts: result.accountsScored, observations: rows, seconds, sql_seconds: sqlSeconds, ratio_to_sql: seconds / sqlSeconds,
    accounts_per_s: Math.round(result.accountsScored / seconds), setup_seconds: generateSeconds,
  });
}

export async function benchRecompute(): Promise<string[]> {
  const lines: string[] = [];
  const pgAccounts = intArg('accounts', 100_000);
  const days = intArg('days', 90);
  const every = intArg('every', 7);
  const postgres = await openPostgresBench();
  try {
    lines.push(await measure(postgres, pgAccounts, days, every));
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
