// Scheduled recomputation on RECOMPUTE_CRON. node-cron's noOverlap skips a
// tick while the previous run is busy in this process; the database lock
// (advisory lock on PostgreSQL) makes one replica run each tick cluster-wide.
import cron from 'node-cron';
import type { AppDeps } from '../app-deps.js';
import { runRecomputeAndAlerts } from '../alerts/recompute-and-alert.js';
import type { BackgroundJobs } from './start-background-jobs.js';
import { onAppClock, tickAsOf } from './tick-as-of.js';

/**
 * node-cron drops a slot whose callback starts more than this late (default
 * 1 s). A replica that wakes late still runs (or skips) the same slot: the
 * as-of is the slot, so the database lock and the per-tick check dedupe it.
 */
const LATE_TICK_TOLERANCE_MS = 60_000;

export function startRecomputeSchedule(deps: AppDeps): BackgroundJobs {
  const log = deps.logger.child('scheduler');
  let inFlight: Promise<unknown> = Promise.resolve();
  const task = cron.schedule(
    deps.config.RECOMPUTE_CRON,
    async (context) => {
      // The scheduled slot is the as-of: replicas waking for one tick, however
      // late, write the same as-of, and the lock plus the per-tick check let one run.
      const asOf = onAppClock(tickAsOf(context), deps.clock);
      const run = runRecomputeAndAlerts(deps, { trigger: 'schedule', asOf }).then(
        (outcome) => {
          if (!outcome.ran) log.info('skipped: another process is recomputing', { asOf: asOf.toISOString() });
        },
        (error: unknown) => log.error('scheduled recomputation failed', { error }),
      );
      inFlight = run;
      await run;
    },
    { noOverlap: true, missedExecutionTolerance: LATE_TICK_TOLERANCE_MS, name: `recompute-${process.pid}-${Date.now()}` },
  );
  return {
    async stop() {
      await task.destroy();
      await inFlight;
    },
  };
}
