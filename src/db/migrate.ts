// Applies the committed SQL migrations in prisma/migrations, in order, each in
// its own transaction, and records them in Prisma's `_prisma_migrations` format
// (checksum = sha256 of migration.sql) so Prisma's own tooling agrees with us.
// Prisma's CLI cannot run here (no native engines), and the wasm engine path
// records a broken migration as applied (shared/PRISMA-OFFLINE.md): hence our own.
import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlSession } from './sql-runner.js';

/** src/db/ and dist/db/ both sit two levels below the project root. */
export const DEFAULT_MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'prisma',
  'migrations',
);

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new MigrationError(`Cannot read the migrations folder ${dir}`, { cause: error });
  });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    folders.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies pending migrations through `session`. The caller holds whatever lock
 * keeps concurrent runners apart (an advisory lock on PostgreSQL; PGlite is
 * single-process by our data-directory lock).
 */
export async function applyMigrations(session: SqlSession, migrations: Migration[]): Promise<MigrationReport> {
  await session.exec(CREATE_HISTORY_TABLE);
  const rows = await session.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const applied = new Map<string, AppliedRow>();
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${row.migration_name} started earlier but never finished; the database needs manual repair ` +
          'before account-health can start.',
      );
    }
    applied.set(row.migration_name, row);
  }

  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  for (const migration of migrations) {
    const previous = applied.get(migration.name);
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was changed after it was applied (checksum mismatch). ` +
            'Committed migrations must never be edited: add a new one instead.',
        );
      }
      report.alreadyApplied += 1;
      continue;
    }
    await applyOne(session, migration);
    report.applied.push(migration.name);
  }
  return report;
}

async function applyOne(session: SqlSession, migration: Migration): Promise<void> {
  await session.exec('BEGIN');
  try {
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${detail}`, { cause: error });
  }
}
