// Prunes raw events older than EVENT_RETENTION_DAYS, hourly, by one replica at a time.
import type { AppDeps } from '../app-deps.js';
import { pruneEvents } from '../events/prune-events.js';
import type { BackgroundJobs } from './start-background-jobs.js';

const EVERY_MS = 60 * 60_000;

export function startEventRetention(deps: AppDeps): BackgroundJobs {
  const log = deps.logger.child('retention');
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = deps.db
      .tryWithLock('event-retention', async () => {
        const deleted = await pruneEvents(deps.db.prisma, deps.clock(), deps.config.EVENT_RETENTION_DAYS);
        if (deleted > 0) log.info('pruned raw events past retention', { deleted, retentionDays: deps.config.EVENT_RETENTION_DAYS });
      })
      .catch((error: unknown) => log.error('event retention failed', { error }));
  };
  const timer = setInterval(tick, EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
