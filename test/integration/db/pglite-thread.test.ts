// The embedded database on its own thread (what `serve` and the sandbox open):
// Prisma works through it exactly as in-process (values, errors Prisma maps,
// interactive transactions), migrations and the data directory lock still
// hold, and — the point of it — the event loop keeps running while a long
// statement runs, where the in-process client holds it until the end.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, openPgliteFromClient, openPgliteThreadFromDump, type Database } from '../../../src/db/database.js';
import { Prisma } from '../../../src/generated/prisma/client.js';
import { ensureCatalogueAndModels } from '../../../src/models/model-store.js';
import { migratedPgliteDump, openCrashablePgliteThread } from '../../support/databases.js';

/** A statement that keeps PGlite busy for a second or more on this machine. */
const LONG_STATEMENT = 'SELECT count(*)::int AS n FROM generate_series(1, 4000000) AS s WHERE s % 7 = 3';

/**
 * Starts the long statement and a 1 ms timer together; says which finished
 * first. Ordering, not timing: the timer can only fire first if the event loop
 * ran while the statement did.
 */
async function firstToFinish(db: Database): Promise<'timer' | 'statement'> {
  const order: string[] = [];
  const statement = db.prisma.$queryRawUnsafe(LONG_STATEMENT).then(() => order.push('statement'));
  const timer = new Promise<void>((resolve) => setTimeout(resolve, 1)).then(() => order.push('timer'));
  await Promise.all([statement, timer]);
  return order[0] as 'timer' | 'statement';
}

describe('PGlite on its own thread', () => {
  let dump: ArrayBuffer;
  let db: Database;
  beforeAll(async () => {
    dump = await migratedPgliteDump();
    db = await openPgliteThreadFromDump(dump);
    await ensureCatalogueAndModels(db.prisma);
  });
  afterAll(async () => {
    await db.close();
  });

  it('reads and writes through Prisma with the same values as in-process', async () => {
    const created = await db.prisma.account.create({
      data: { externalId: 'T-1', name: 'Thread Ltd', nameKey: 'thread ltd', arr: 12_500.5, renewalDate: new Date('2027-03-01T00:00:00Z') },
    });
    expect(created).toMatchObject({ externalId: 'T-1', arr: 12_500.5, renewalDate: new Date('2027-03-01T00:00:00Z') });
    await db.prisma.metricObservation.create({
      data: { accountId: created.id, metricKey: 'logins_30d', value: 42, observedAt: new Date('2026-11-30T10:00:00.123Z') },
    });
    const [latest] = await db.prisma.$queryRaw<{ value: number; observed_at: Date; id: bigint }[]>`
      SELECT l.value, l.observed_at, o.id FROM metric_latest l JOIN metric_observations o USING (account_id, metric_key) WHERE l.account_id = ${created.id}`;
    expect(latest).toEqual({ value: 42, observed_at: new Date('2026-11-30T10:00:00.123Z'), id: expect.any(BigInt) });
    const found = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'T-1' }, include: { latestValues: true } });
    expect(found.latestValues.map((v) => [v.metricKey, v.value])).toEqual([['logins_30d', 42]]);
  });

  it('reports constraint violations as Prisma does (P2002), and the thread keeps serving', async () => {
    const duplicate = db.prisma.account.create({ data: { externalId: 'T-1', name: 'Again', nameKey: 'again' } });
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: 'P2002' });
    await expect(db.prisma.$executeRawUnsafe('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
    expect(await db.prisma.account.count()).toBe(1);
  });

  it('commits interactive transactions, rolls back a failed one, and queues other statements meanwhile', async () => {
    await db.prisma.$transaction(async (tx) => {
      await tx.account.create({ data: { externalId: 'T-2', name: 'Committed', nameKey: 'committed' } });
    });
    const failed = db.prisma.$transaction(async (tx) => {
      await tx.account.create({ data: { externalId: 'T-3', name: 'Rolled back', nameKey: 'rolled back' } });
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    // Statements outside a running transaction wait for it, as PGlite's single session requires.
    const [, count] = await Promise.all([
      db.prisma.$transaction(async (tx) => {
        await tx.account.create({ data: { externalId: 'T-4', name: 'Slow', nameKey: 'slow' } });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }),
      db.prisma.account.count(),
    ]);
    expect(count).toBe(3);
    expect((await db.prisma.account.findMany({ orderBy: { externalId: 'asc' } })).map((a) => a.externalId)).toEqual(['T-1', 'T-2', 'T-4']);
  });

  it('lets the event loop run while a long statement runs (the in-process client cannot)', async () => {
    expect(await firstToFinish(db)).toBe('timer');
    // The control: the same statement on an in-process PGlite holds the loop to its end.
    const inProcess = openPgliteFromClient(await PGlite.create({ loadDataDir: new Blob([dump]) }));
    try {
      expect(await firstToFinish(inProcess)).toBe('statement');
    } finally {
      await inProcess.close();
    }
  });
});

describe('PGlite on its own thread, when the thread dies', () => {
  const settledNow = (lost: Promise<Error>) => Promise.race([lost.then(() => 'lost'), Promise.resolve('not lost')]);

  it('reports the loss once the thread stops unasked, and refuses every later query', async () => {
    const { db, crash } = await openCrashablePgliteThread();
    await db.ping();
    expect(await settledNow(db.lost)).toBe('not lost');
    await crash();
    const error = await db.lost;
    expect(error.message).toMatch(/the embedded database thread stopped/);
    await expect(db.prisma.account.count()).rejects.toThrow(/the embedded database thread stopped/);
    await expect(db.ping()).rejects.toThrow(/stopped/);
    await db.close();
  });

  it('reports nothing when closed as asked', async () => {
    const { db } = await openCrashablePgliteThread();
    await db.close();
    // close() returns once the worker has exited: a loss would have been reported by now.
    expect(await settledNow(db.lost)).toBe('not lost');
  });
});

describe('PGlite on its own thread, on a data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-thread-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates, keeps data across a restart, holds the directory lock while open and releases it on close', async () => {
    const target = { kind: 'pglite', dataDir: dir } as const;
    const first = await openDatabase(target, { command: 'test', ownThread: true });
    const report = await first.migrate();
    expect(report.applied.length).toBeGreaterThan(0);
    await first.prisma.account.create({ data: { externalId: 'D-1', name: 'Durable', nameKey: 'durable' } });
    await expect(openDatabase(target, { command: 'second', ownThread: true })).rejects.toThrow(/in use|locked|another/i);
    await first.ping();
    await first.close();

    const second = await openDatabase(target, { command: 'test', ownThread: true });
    try {
      expect(await second.migrate()).toMatchObject({ applied: [] });
      expect((await second.prisma.account.findMany()).map((a) => a.externalId)).toEqual(['D-1']);
    } finally {
      await second.close();
    }
    await expect(first.ping()).rejects.toThrow(/closed|stopped/);
  });
});
