// Escalation of unclaimed alerts and outcome tracking, every five minutes,
// by one replica at a time.
import type { AppDeps } from '../app-deps.js';
import { escalateUnclaimed, recordOutcomes } from '../alerts/maintain-alerts.js';
import type { BackgroundJobs } from './start-background-jobs.js';

const EVERY_MS = 5 * 60_000;

export function startAlertMaintenance(deps: AppDeps): BackgroundJobs {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = runAlertMaintenance(deps).catch((error: unknown) => deps.logger.error('alert maintenance failed', { error }));
  };
  const timer = setInterval(tick, EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** One maintenance pass (the sandbox's "advance one day" runs one at once). */
export async function runAlertMaintenance(deps: Pick<AppDeps, 'db' | 'clock' | 'outbox'>): Promise<void> {
  await deps.db.tryWithLock('alert-maintenance', async () => {
    const now = deps.clock();
    const escalated = await escalateUnclaimed(deps.db.prisma, now);
    await recordOutcomes(deps.db.prisma, now);
    if (escalated > 0) deps.outbox.notify();
  });
}
