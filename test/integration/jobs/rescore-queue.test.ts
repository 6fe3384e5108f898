// The rescore queue: a burst of ingestions becomes one targeted run of the
// accounts they touched; a busy recompute lock (another replica, a scheduled
// run) postpones the run without losing the ids; stop() scores what is pending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxSignal } from '../../../src/app-deps.js';
import { loadConfig } from '../../../src/config.js';
import type { Database } from '../../../src/db/database.js';
import { RescoreQueue } from '../../../src/jobs/rescore-queue.js';
import { createLogger } from '../../../src/logger.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { HEALTHY, seedAccounts } from '../../support/seed.js';

describe.each(DATABASE_KINDS)('rescore queue (%s)', (kind) => {
  let db: Database;
  let ids: Map<string, number>;
  const deps = () => ({ db, clock: () => new Date(), logger: createLogger({ level: 'error' }), config: loadConfig({}), outbox: new OutboxSignal() });
  const runs = () => db.prisma.scoreRun.findMany({ where: { trigger: 'import' }, orderBy: { id: 'asc' } });
  const scored = async () => (await db.prisma.accountScore.findMany({ select: { accountId: true } })).map((s) => s.accountId).sort();

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    ids = await seedAccounts(db, new Date(), [
      { externalId: 'Q-1', name: 'One', metrics: HEALTHY },
      { externalId: 'Q-2', name: 'Two', metrics: HEALTHY },
      { externalId: 'Q-3', name: 'Three', metrics: HEALTHY },
    ]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('coalesces a burst into one run of exactly the touched accounts, and waits out a busy lock', async () => {
    const queue = new RescoreQueue(deps(), { debounceMs: 50, maxWaitMs: 200, busyRetryMs: 50 });
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Another process is recomputing: the queue must wait, not drop the ids.
    const holding = db.tryWithLock('recompute', () => held);
    await new Promise((resolve) => setTimeout(resolve, 20));
    queue.add([ids.get('Q-1') ?? 0]);
    queue.add([ids.get('Q-2') ?? 0, ids.get('Q-1') ?? 0]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await runs()).toEqual([]);
    release();
    await holding;
    for (let i = 0; i < 100 && (await runs()).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    const done = await runs();
    expect(done).toHaveLength(1);
    expect(done[0]?.accountsScored).toBe(2);
    expect(await scored()).toEqual([ids.get('Q-1'), ids.get('Q-2')].sort());
    await queue.stop();
  });

  it('scores what is still pending when it stops', async () => {
    const queue = new RescoreQueue(deps(), { debounceMs: 60_000, maxWaitMs: 60_000, busyRetryMs: 50 });
    queue.add([ids.get('Q-3') ?? 0]);
    await queue.stop();
    expect(await scored()).toContain(ids.get('Q-3'));
  });
});
