// The migration runner on both databases: applies everything once, records
// Prisma-compatible history, refuses edited history, rolls back a broken
// migration, and lets PostgreSQL replicas start together.
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase, openPgliteFromClient, type Database } from '../../../src/db/database.js';
import { applyMigrations, MigrationError, readMigrations, type Migration } from '../../../src/db/migrate.js';
import { pgliteSession, pgSession, type SqlSession } from '../../../src/db/sql-runner.js';
import { DATABASE_KINDS, type DatabaseKind } from '../../support/databases.js';

let counter = 0;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An EMPTY database (no template), with a raw session to inspect it. */
async function emptyDatabase(kind: DatabaseKind): Promise<{ session: SqlSession; url?: string }> {
  if (kind === 'pglite') {
    const client = await PGlite.create();
    cleanups.push(() => client.close());
    return { session: pgliteSession(client) };
  }
  counter += 1;
  const name = `ah_${inject('runId')}_empty_${process.pid}_${counter}`;
  const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  cleanups.push(() => client.end());
  return { session: pgSession(client), url: url.toString() };
}

describe.each(DATABASE_KINDS)('migrations (%s)', (kind) => {
  it('applies every migration once and records Prisma-compatible history', async () => {
    const { session } = await emptyDatabase(kind);
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);

    const first = await applyMigrations(session, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await applyMigrations(session, migrations);
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.length });

    const rows = await session.query<{ migration_name: string; checksum: string; finished_at: unknown; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const sql = migrations[i]?.sql ?? '';
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await session.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('accounts', 'score_snapshots', 'alerts', 'slack_outbox')",
    );
    expect(tables[0]?.n).toBe(4);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const { session } = await emptyDatabase(kind);
    const migrations = await readMigrations();
    await applyMigrations(session, migrations);
    const edited: Migration[] = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(applyMigrations(session, edited)).rejects.toThrow(/changed after it was applied/);
  });

  it('rolls back a broken migration completely and does not record it', async () => {
    const { session } = await emptyDatabase(kind);
    const broken: Migration = {
      name: '99990101000000_broken',
      sql: 'CREATE TABLE half_done (id int); SELECT * FROM table_that_does_not_exist;',
      checksum: 'x'.repeat(64),
    };
    await expect(applyMigrations(session, [...(await readMigrations()), broken])).rejects.toBeInstanceOf(MigrationError);
    const halfDone = await session.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half_done'",
    );
    expect(halfDone[0]?.n).toBe(0);
    const recorded = await session.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '${broken.name}'`,
    );
    expect(recorded[0]?.n).toBe(0);
  });
});

describe('migrations with replicas starting together (postgres)', () => {
  it('applies each migration exactly once when three processes migrate at the same time', async () => {
    const { url, session } = await emptyDatabase('postgres');
    if (!url) throw new Error('postgres url expected');
    const replicas: Database[] = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url }, { command: 'test' })));
    cleanups.push(async () => {
      for (const db of replicas) await db.close();
    });
    const reports = await Promise.all(replicas.map((db) => db.migrate()));
    const appliedTotal = reports.reduce((sum, r) => sum + r.applied.length, 0);
    const migrations = await readMigrations();
    expect(appliedTotal).toBe(migrations.length);
    const rows = await session.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0]?.n).toBe(migrations.length);
  });
});

describe('embedded database wrapper', () => {
  it('serves queries through Prisma once migrated', async () => {
    const client = await PGlite.create();
    const db = openPgliteFromClient(client);
    cleanups.push(() => db.close());
    await db.migrate();
    expect(await db.prisma.account.count()).toBe(0);
  });
});
