// The scheduler with the real node-cron: a tick whose callback runs late (a
// blocked event loop, as on a busy replica) still recomputes as of its slot.
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxSignal, systemClock, type AppDeps } from '../../../src/app-deps.js';
import { loadConfig } from '../../../src/config.js';
import type { Database } from '../../../src/db/database.js';
import { startRecomputeSchedule } from '../../../src/jobs/recompute-schedule.js';
import { createLogger } from '../../../src/logger.js';
import { createSlackClient } from '../../../src/slack/web-client.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

describe.each(DATABASE_KINDS)('scheduled recomputation (%s)', (kind) => {
  let db: Database | null = null;
  afterEach(async () => {
    await db?.close();
  });

  it('uses the cron slot as the as-of when the tick fires late', async () => {
    db = await createTestDatabase(kind);
    // A slot about three seconds away, once a minute: one tick in this test.
    const slot = new Date(Math.ceil((Date.now() + 2_500) / 1000) * 1000);
    const config = loadConfig({ RECOMPUTE_CRON: `${slot.getUTCSeconds()} * * * * *` });
    const logger = createLogger({ level: 'error' });
    const deps: AppDeps = { config, db, logger, clock: systemClock, slack: createSlackClient('xoxb-test-token', config, logger), outbox: new OutboxSignal() };
    const schedule = startRecomputeSchedule(deps);
    try {
      // Block the event loop across the slot: node-cron wakes over 2 s late (past
      // its default 1 s tolerance for late ticks).
      await new Promise((resolve) => setTimeout(resolve, slot.getTime() - Date.now() - 150));
      while (Date.now() < slot.getTime() + 2_300) {
        // busy: nothing else runs, as on a replica stuck in a long synchronous task
      }
      const run = await waitFor(() => deps.db.prisma.scoreRun.findFirst({ where: { trigger: 'schedule' } }));
      expect(run.asOf.toISOString()).toBe(slot.toISOString());
    } finally {
      await schedule.stop();
    }
  }, 20_000);
});

async function waitFor<T>(find: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('no scheduled run in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
