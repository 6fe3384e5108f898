// Per-test-file databases on both engines: the same integration test runs on
// the embedded PGlite and on real PostgreSQL (never a mocked Prisma).
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Worker } from 'node:worker_threads';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, openPgliteFromClient, openPgliteThreadFromDump, type Database } from '../../src/db/database.js';
import { spawnPgliteWorker } from '../../src/db/pglite-thread.js';

export const DATABASE_KINDS = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

let counter = 0;

/** A fresh, migrated, empty database of the given kind. Close it when done. */
export async function createTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'pglite') {
    const dump = await readFile(inject('pgliteDumpPath'));
    const client = await PGlite.create({ loadDataDir: new Blob([dump]) });
    return openPgliteFromClient(client);
  }
  const url = await createPostgresDatabase();
  return openDatabase({ kind: 'postgres', url }, { command: 'test' });
}

/** The suite's migrated PGlite dump, as the ArrayBuffer PGlite loads. */
export async function migratedPgliteDump(): Promise<ArrayBuffer> {
  const bytes = await readFile(inject('pgliteDumpPath'));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/**
 * A migrated PGlite on its own thread, as `serve` opens it, with `crash()`:
 * stops the thread's worker from outside, as a crash in the database would.
 */
export async function openCrashablePgliteThread(): Promise<{ db: Database; crash: () => Promise<number> }> {
  let worker: Worker | undefined;
  const db = await openPgliteThreadFromDump(await migratedPgliteDump(), (setup) => {
    worker = spawnPgliteWorker(setup);
    return worker;
  });
  return { db, crash: () => (worker ? worker.terminate() : Promise.reject(new Error('no worker was started'))) };
}

/** A new PostgreSQL database copied from the migrated template; returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  counter += 1;
  const name = `ah_${inject('runId')}_${process.pid}_${counter}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('postgresTemplate')}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
