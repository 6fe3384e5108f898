// A tick killed in the middle (SIGKILL of the real CLI process, on both
// databases) leaves the previous scores in place; the next tick catches up with
// everything that changed before and since, and leaves what a full
// recomputation would (a full run afterwards changes nothing).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type DatabaseTarget } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { ensureCatalogueAndModels } from '../../src/models/model-store.js';
import { recomputeScores } from '../../src/scoring-run/recompute.js';
import { createPostgresDatabase, type DatabaseKind } from '../support/databases.js';
import { runCliProcess, spawnCli } from '../support/spawn-cli.js';

const ACCOUNTS = 6_000;
const METRICS = ['orders_30d', 'logins_30d', 'nps', 'csat', 'feature_adoption_pct', 'open_support_tickets'];

/** The cases on one database; one test file per database kind, so the two run side by side on two workers. */
export function describeOn(kind: DatabaseKind): void {
  describe(`a tick killed mid-run (${kind})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it('keeps the previous scores, and the next tick catches up with every change', async () => {
      let target: DatabaseTarget;
      let env: Record<string, string>;
      if (kind === 'postgres') {
        const url = await createPostgresDatabase();
        target = { kind: 'postgres', url };
        env = { DATABASE_URL: url };
      } else {
        const dataDir = await mkdtemp(path.join(os.tmpdir(), 'account-health-killed-'));
        cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
        target = { kind: 'pglite', dataDir };
        env = { DATA_DIR: dataDir };
      }
      // PGlite has one owner at a time: the test opens the database only while no CLI process runs.
      const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
        const db = await openDatabase(target, { command: 'test' });
        try {
          await db.migrate();
          return await fn(db);
        } finally {
          await db.close();
        }
      };
      const observeAll = (db: Database, hoursAgo: number, where = 'true') =>
        db.prisma.$executeRawUnsafe(`
          INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source)
          SELECT a.id, k, floor(random() * 40), now() - interval '${hoursAgo} hours', 'test'
          FROM accounts a CROSS JOIN unnest(ARRAY['${METRICS.join("','")}']) AS k WHERE ${where}`);

      await withDb(async (db) => {
        await ensureCatalogueAndModels(db.prisma);
        await db.prisma.$executeRawUnsafe(`
          INSERT INTO accounts (external_id, name, name_key, updated_at)
          SELECT 'K' || g, 'Account ' || g, 'account ' || g, now() FROM generate_series(1, ${ACCOUNTS}) g`);
        await observeAll(db, 48);
      });
      const started = performance.now();
      const first = await runCliProcess(['recompute'], env);
      const wall = performance.now() - started;
      expect(first.output).toContain(`Scored ${ACCOUNTS} accounts`);
      expect(first.code).toBe(0);
      const runMs = Number(/in (\d+) ms/.exec(first.output)?.[1]);

      // Every account gets new data; the tick that should score it is killed before it commits.
      await withDb((db) => observeAll(db, 2));
      const tick = spawnCli(['recompute'], env);
      if (kind === 'postgres') {
        await waitForOpenRunTransaction(target.kind === 'postgres' ? target.url : '');
      } else {
        // No second process can look into PGlite while the tick owns it: kill half-way through the run as timed above.
        await new Promise((r) => setTimeout(r, wall - runMs + runMs * 0.5));
      }
      tick.child.kill('SIGKILL');
      await tick.exited;
      expect(tick.child.signalCode).toBe('SIGKILL');

      const before = await withDb(async (db) => ({
        completedRuns: await db.prisma.scoreRun.count({ where: { status: 'completed' } }),
        snapshots: await db.prisma.scoreSnapshot.count(),
        pending: await db.prisma.scoreChange.count(),
      }));
      expect(before).toMatchObject({ completedRuns: 1, snapshots: ACCOUNTS });
      expect(before.pending).toBeGreaterThan(0);

      // More data arrives for a few accounts; the next tick catches up with both.
      await withDb((db) => observeAll(db, 1, 'a.id % 100 = 0'));
      const next = await runCliProcess(['recompute'], env);
      expect(next.code).toBe(0);
      expect(next.output).toContain(`Scored ${ACCOUNTS} accounts (${ACCOUNTS} rescored`);

      // A quiet tick scores nobody; --full scores everyone and finds nothing to change either.
      const quiet = await runCliProcess(['recompute'], env);
      expect(quiet.output).toContain(`Scored ${ACCOUNTS} accounts (0 rescored`);
      const full = await runCliProcess(['recompute', '--full'], env);
      expect(full.code).toBe(0);
      expect(full.output).toMatch(new RegExp(`Scored ${ACCOUNTS} accounts as of`));

      await withDb(async (db) => {
        const runs = await db.prisma.scoreRun.findMany({ orderBy: { id: 'asc' } });
        expect(runs.map((r) => [r.mode, r.status, r.accountsComputed])).toEqual([
          ['full', 'completed', ACCOUNTS],
          ['incremental', 'completed', ACCOUNTS],
          ['incremental', 'completed', 0],
          ['full', 'completed', ACCOUNTS],
        ]);
        expect(await db.prisma.scoreSnapshot.count()).toBe(2 * ACCOUNTS);
        expect(await db.prisma.scoreChange.count()).toBe(0);
        const now = new Date();
        const full = await recomputeScores({ db, clock: () => now, logger: createLogger({ level: 'error' }) }, { trigger: 'cli', asOf: now, full: true });
        expect(full).toMatchObject({ mode: 'full', accountsScored: ACCOUNTS, snapshotsWritten: 0 });
      });
    }, 480_000);
  });
}

/** Waits until a backend of that database is inside the run's transaction (score_runs or score_snapshots written, not committed). */
async function waitForOpenRunTransaction(url: string): Promise<void> {
  const dbName = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND (query ILIKE '%score_snapshots%' OR query ILIKE '%score_runs%')`,
        [dbName],
      );
      if ((rows[0]?.n ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the tick never opened its run transaction');
  } finally {
    await admin.end();
  }
}
