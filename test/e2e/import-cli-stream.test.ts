// `account-health import metrics` on a file that is one 100 MB line after ten
// good rows, streamed through a named pipe so nothing that size ever exists on
// disk: the command stops with a clear error after reading a few MB, keeps the
// ten rows, and writes nothing after the line it could not read.
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createPostgresDatabase } from '../support/databases.js';
import { HEALTHY, seedAccounts } from '../support/seed.js';
import { spawnCli } from '../support/spawn-cli.js';

const MB = 1_048_576;

describe('import from a stream with a 100 MB line', () => {
  let url: string;
  let db: Database;
  let dir: string;

  beforeAll(async () => {
    url = await createPostgresDatabase();
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test', logger: createLogger({ level: 'error' }) });
    await seedAccounts(db, new Date(), [{ externalId: 'PIPE-1', name: 'Pipe Co', metrics: HEALTHY }]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-fifo-'));
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with a clear error after a few MB, keeping the rows before the line', async () => {
    const fifo = path.join(dir, 'metrics.csv');
    execFileSync('mkfifo', [fifo]);
    let written = 0;
    async function* source() {
      yield 'account,metric,value,observed_at\n';
      for (let i = 0; i < 10; i += 1) yield `PIPE-1,nps,${i},2026-10-01T00:0${i}:00Z\n`;
      for (let i = 0; i < 1_600; i += 1) {
        written += 65_536;
        yield 'x'.repeat(65_536);
      }
      yield '\nPIPE-1,nps,99,2026-10-02\n';
    }
    const cli = spawnCli(['import', 'metrics', fifo], { DATABASE_URL: url });
    // The writer fails with EPIPE once the command exits and closes its end: expected.
    const writing = pipeline(Readable.from(source()), createWriteStream(fifo)).catch((error: unknown) => error);
    const code = await cli.exited;
    await writing;

    expect(code).toBe(1);
    expect(cli.output()).toContain(
      `${fifo}: the file could not be read as CSV from line 12 on: the record there is longer than 1 MiB (is the file comma-separated, with one record per line?); nothing was imported from the rows after this point.`,
    );
    expect(written).toBeLessThan(16 * MB);
    const stored = await db.prisma.metricObservation.findMany({ where: { source: 'csv' }, orderBy: { observedAt: 'asc' } });
    expect(stored.map((s) => s.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    console.info(`import from a pipe: the command read ${(written / MB).toFixed(1)} MB of a 100 MB line before refusing it`);
  }, 60_000);
});
