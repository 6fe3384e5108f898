// A database for tests that run the real CLI in child processes: a throwaway
// PostgreSQL database, or a migrated embedded one in DIR/data (from the
// suite's dump, faster than initdb). `env` points the CLI at it; `open`
// opens it from the test (close it before the next CLI run on PGlite).
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openDatabase, openPgliteFromClient, type Database } from '../../src/db/database.js';
import { createPostgresDatabase, type DatabaseKind } from './databases.js';

export interface CliDatabase {
  env: Record<string, string>;
  open: () => Promise<Database>;
}

export async function prepareCliDatabase(kind: DatabaseKind, dir: string): Promise<CliDatabase> {
  if (kind === 'postgres') {
    const url = await createPostgresDatabase();
    return { env: { DATABASE_URL: url }, open: () => openDatabase({ kind: 'postgres', url }, { command: 'test' }) };
  }
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const seeded = await PGlite.create(path.join(dataDir, 'pglite'), { loadDataDir: new Blob([await readFile(inject('pgliteDumpPath'))]) });
  await openPgliteFromClient(seeded).close();
  return { env: { DATA_DIR: dataDir }, open: () => openDatabase({ kind: 'pglite', dataDir }, { command: 'test' }) };
}
