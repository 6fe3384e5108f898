// A PostgreSQL connection dying while idle in the pool (server restart,
// failover, an admin terminating it) is reported at warn and never crashes the
// process; the next query connects afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { createPostgresDatabase } from '../../support/databases.js';
import { connectPgFaults, type PgFaults } from '../../support/pg-faults.js';

describe('lost idle PostgreSQL connections', () => {
  let db: Database;
  let faults: PgFaults;
  const lines: string[] = [];

  beforeAll(async () => {
    const url = await createPostgresDatabase();
    faults = await connectPgFaults(url);
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test', logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }) });
  });
  afterAll(async () => {
    await db.close();
    await faults.close();
  });

  it('logs each lost connection at warn, keeps the process alive, and serves the next query', async () => {
    // Several idle pooled connections.
    await Promise.all(Array.from({ length: 3 }, () => db.prisma.$queryRaw`SELECT pg_sleep(0.05)::text AS slept`));
    const terminated = await faults.terminateBackends();
    expect(terminated).toBe(3);
    const lost = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'database connection lost; the pool will reconnect on next use');
    // Each connection learns of its end when the server's notice arrives; wait for all three.
    const deadline = Date.now() + 5_000;
    while (lost().length < terminated && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    expect(lost()).toHaveLength(terminated);
    expect(lost()[0]).toMatchObject({ level: 'warn', error: { message: 'terminating connection due to administrator command' } });
    expect(await db.prisma.account.count()).toBe(0);
    await db.ping();
  });
});
