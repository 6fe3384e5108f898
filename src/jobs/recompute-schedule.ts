// Scheduled recomputation on RECOMPUTE_CRON. node-cron's noOverlap skips a
// tick while the previous run is busy in this process; the database lock
// (advisory lock on PostgreSQL) makes one replica run each tick cluster-wide.
import cron from 'node-cron';
import type { AppDeps } from '../app-deps.js';
import { runRecomputeAndAlerts } from '../alerts/recompute-and-alert.js';
import type { BackgroundJobs } from './start-background-jobs.js';

export function startRecomputeSchedule(deps: AppDeps): BackgroundJobs {
  const log = deps.logger.child('scheduler');
  let inFlight: Promise<unknown> = Promise.resolve();
  const task = cron.schedule(
    deps.config.RECOMPUTE_CRON,
    async (context) => {
      // The tick's own time (to the second) is the as-of: replicas that both
      // wake for a tick would write the same as-of, and the lock lets one run.
      const asOf = new Date(Math.floor(context.triggeredAt.getTime() / 1000) * 1000);
      const run = runRecomputeAndAlerts(deps, { trigger: 'schedule', asOf }).then(
        (outcome) => {
          if (!outcome.ran) log.info('skipped: another process is recomputing', { asOf: asOf.toISOString() });
        },
        (error: unknown) => log.error('scheduled recomputation failed', { error }),
      );
      inFlight = run;
      await run;
    },
    { noOverlap: true, name: `recompute-${process.pid}-${Date.now()}` },
  );
  return {
    async stop() {
      await task.destroy();
      await inFlight;
    },
  };
}
