// A PostgreSQL connection dying while idle in the pool (server restart,
// failover, an admin terminating it), or while held as the session of a
// cross-process lock, is reported at warn and never crashes the process; the
// next query connects afresh and the lock can be taken again.
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

  it('survives the lock session being terminated while the lock is held: the work\'s own outcome stands, the lock is free again', async () => {
    lines.length = 0;
    const held = db.tryWithLock('pool-errors-test', async () => {
      await new Promise((r) => setTimeout(r, 300));
      return 'done';
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await faults.terminateBackends()).toBe(1);
    // Before the fix, pg's 'error' on the checked-out session was unheard: an uncaught exception.
    expect(await held).toEqual({ ran: true, value: 'done' });
    const messages = lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((e) => [e.level, e.msg]);
    expect(messages).toEqual([
      ['warn', 'database connection lost while held; the pool will reconnect on next use'],
      ['warn', 'could not release a database lock; its session is gone, and the lock with it'],
    ]);
    expect(await db.tryWithLock('pool-errors-test', async () => 'again')).toEqual({ ran: true, value: 'again' });
  });
});
