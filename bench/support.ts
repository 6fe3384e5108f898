// Shared bench plumbing: a throwaway PostgreSQL database (or DATABASE_URL),
// an in-memory PGlite, set-based data generation, and result lines.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';
import { ensureCatalogueAndModels } from '../src/models/model-store.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDb {
  db: Database;
  label: string;
  /** Set when the database is kept across runs (--keep NAME): its generated data may be reused. */
  kept?: string;
  drop(): Promise<void>;
}

/**
 * DATABASE_URL when set (left in place); else database `keep` on the local
 * server, created when missing and left in place (reused across runs); else a
 * throwaway database.
 */
export async function openPostgresBench(keep?: string): Promise<BenchDb> {
  if (keep !== undefined) {
    if (!/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error(`--keep needs a database name of [a-z0-9_] (got "${keep}")`);
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [keep]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${keep}"`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${keep}`;
    const db = await openDatabase({ kind: 'postgres', url: url.toString() }, { command: 'bench' });
    await db.migrate();
    return { db, label: 'postgres', kept: keep, drop: () => db.close() };
  }
  if (process.env.DATABASE_URL) {
    const db = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL }, { command: 'bench' });
    await db.migrate();
    return { db, label: 'postgres (DATABASE_URL)', drop: () => db.close() };
  }
  const name = `ah_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString() }, { command: 'bench' });
  await db.migrate();
  return {
    db,
    label: 'postgres',
    async drop() {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** In memory, on its own thread, as `serve` and the CLI open it. */
export async function openPgliteBench(): Promise<BenchDb> {
  const db = await openDatabase({ kind: 'pglite', dataDir: null }, { command: 'bench', ownThread: true });
  await db.migrate();
  return { db, label: 'pglite', drop: () => db.close() };
}

/** [metric, worst, best]: for lower-is-better measures the best value is the lower one. */
const METRIC_RANGES: [string, number, number][] = [
  ['orders_30d', 0, 40], ['order_value_trend_90d', -40, 20], ['late_payments_90d', 6, 0], ['logins_30d', 0, 300],
  ['feature_adoption_pct', 0, 100], ['open_support_tickets', 15, 0], ['nps', -60, 80], ['csat', 40, 100],
  ['complaints_90d', 6, 0], ['days_since_last_contact', 90, 0], ['csm_sentiment', 1, 5], ['days_to_renewal', 0, 365],
];

/** One account in this many is declining: about 12 % of the portfolio ends at risk or critical. */
export const DECLINING_EVERY = 8;

/**
 * N accounts × 12 metrics × one observation every `everyDays` over `days`,
 * generated inside the database (generate_series), so setup is not the bottleneck.
 * Like a real portfolio, most accounts are steady with noise around a healthy
 * level of their own; one in DECLINING_EVERY has slid from healthy to poor over
 * the period (the ones an alert should find).
 */
export async function generatePortfolio(db: Database, accounts: number, days: number, everyDays: number, asOf: Date): Promise<number> {
  await ensureCatalogueAndModels(db.prisma);
  await db.prisma.$executeRaw`
    INSERT INTO accounts (external_id, name, name_key, segment, slack_channel_id, updated_at)
    SELECT 'B-' || i, 'Bench Account ' || i, 'bench account ' || i,
           (ARRAY['enterprise', 'mid-market', 'smb', NULL])[1 + i % 4], 'C' || lpad(i::text, 10, '0'), now()
    FROM generate_series(1, ${accounts}::int) AS i`;
  const names = METRIC_RANGES.map((m) => m[0]);
  const worst = METRIC_RANGES.map((m) => m[1]);
  const best = METRIC_RANGES.map((m) => m[2]);
  // quality 0 = worst, 1 = best: steady accounts sit at 0.65–1 (their own level, ±0.1 noise);
  // declining ones fall from 0.9 to their own end level e (0.15–0.45: at risk or critical) as d (days ago) goes to 0.
  const inserted = await db.prisma.$executeRaw`
    INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source, updated_at)
    SELECT account_id, key, round((lo + (hi - lo) * least(1, greatest(0, q)))::numeric, 1)::float8, ${asOf}::timestamptz - make_interval(days => d), 'bench', now()
    FROM (
      SELECT a.id AS account_id, m.key, m.lo, m.hi, d,
             CASE WHEN a.id % ${DECLINING_EVERY} = 0
                  THEN e + (0.9 - e) * d / ${days}::float8 + ((a.id * 31 + m.ord * 17 + d) % 100) / 1000.0
                  ELSE 0.65 + ((a.id * 7919 + m.ord * 104729) % 350) / 1000.0 + (((a.id * 13 + m.ord * 7 + d * 3) % 200) - 100) / 1000.0
             END AS q
      FROM (SELECT id, external_id, 0.15 + (id * 37 % 31) / 100.0 AS e FROM accounts) a
      CROSS JOIN unnest(${names}::text[], ${worst}::float8[], ${best}::float8[]) WITH ORDINALITY AS m(key, lo, hi, ord)
      CROSS JOIN generate_series(0, ${days - 1}::int, ${everyDays}::int) AS d
      WHERE a.external_id LIKE 'B-%'
    ) g`;
  return inserted;
}

/**
 * The portfolio generatePortfolio would build, reusing a kept database's when
 * it was generated with the same parameters (recorded in the database comment
 * once generation completes, so a half-generated one is refused, not reused).
 * A reused portfolio is put back as generated: readings dated after `asOf` (a
 * previous run's ticks) removed, the score and alert tables emptied, so every
 * run measures the same work. Returns the observations and whether it reused.
 */
export async function preparePortfolio(bench: BenchDb, accounts: number, days: number, everyDays: number, asOf: Date): Promise<{ rows: number; reused: boolean }> {
  const prisma = bench.db.prisma;
  const signature = `ah-bench portfolio accounts=${accounts} days=${days} every=${everyDays} as_of=${asOf.toISOString()}`;
  if (bench.kept !== undefined) {
    const [row] = await prisma.$queryRaw<{ comment: string | null; accounts: number }[]>`
      SELECT shobj_description(d.oid, 'pg_database') AS comment, (SELECT count(*)::int FROM accounts) AS accounts
      FROM pg_database d WHERE d.datname = current_database()`;
    if (row?.comment === signature) {
      await prisma.$executeRaw`DELETE FROM metric_observations WHERE observed_at > ${asOf}`;
      await prisma.$executeRawUnsafe('TRUNCATE score_runs, score_snapshots, account_scores, alerts, slack_outbox, score_changes');
      await prisma.$executeRawUnsafe('VACUUM ANALYZE');
      const [count] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM metric_observations`;
      return { rows: count?.n ?? 0, reused: true };
    }
    if ((row?.accounts ?? 0) > 0) {
      throw new Error(`database ${bench.kept} holds accounts but not a complete portfolio of these parameters (${row?.comment ?? 'no bench comment'}); drop it or pick another --keep name`);
    }
  }
  const rows = await generatePortfolio(bench.db, accounts, days, everyDays, asOf);
  await prisma.$executeRawUnsafe('ANALYZE');
  if (bench.kept !== undefined) await prisma.$executeRawUnsafe(`COMMENT ON DATABASE "${bench.kept}" IS '${signature}'`);
  return { rows, reused: false };
}

/** New readings for one account in `every` (three measures, dated `at`): what a tick after an ingestion batch sees. */
export async function addReadings(db: Database, every: number, at: Date): Promise<number> {
  return db.prisma.$executeRaw`
    INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source, updated_at)
    SELECT a.id, m.key, m.value, ${at}, 'bench', now()
    FROM accounts a CROSS JOIN (VALUES ('orders_30d', 2::float8), ('logins_30d', 20), ('open_support_tickets', 12)) AS m(key, value)
    WHERE a.id % ${every}::int = 0`;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function resultLine(name: string, fields: Record<string, string | number>): string {
  return `${name}: ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`).join(' ')}`;
}

/** Replaces this bench's row in bench/RESULTS.md. */
export async function recordResult(name: string, line: string): Promise<void> {
  const file = path.join(BENCH_DIR, 'RESULTS.md');
  const header = '# Benchmark results\n\nEach row is the last run of `npm run bench -- NAME` on this machine. Speed is judged as a ratio to a baseline measured in the same run, never as an absolute assertion.\n\n| bench | date | machine | result |\n|---|---|---|---|\n';
  const existing = await readFile(file, 'utf8').catch(() => header);
  // Notes below the table (what each bench compares, what limits it) are kept as written.
  const notesAt = existing.search(/\n## /);
  const notes = notesAt === -1 ? '' : existing.slice(notesAt);
  const rows = existing.slice(0, notesAt === -1 ? undefined : notesAt).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| bench') && !l.startsWith(`| ${name} |`));
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  rows.push(`| ${name} | ${new Date().toISOString().slice(0, 16).replace('T', ' ')} | ${machine} | \`${line.replace(/\|/g, '/')}\` |`);
  rows.sort();
  await writeFile(file, `${header}${rows.join('\n')}\n${notes}`);
}

export function intArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i === -1 ? undefined : process.argv[i + 1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
}
