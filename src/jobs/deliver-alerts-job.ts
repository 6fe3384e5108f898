// Delivers the Slack outbox: every second, and at once when something is queued.
import type { AppDeps } from '../app-deps.js';
import { AlertDeliverer } from '../alerts/deliver-outbox.js';
import type { BackgroundJobs } from './start-background-jobs.js';

const POLL_MS = 1_000;

export function startAlertDelivery(deps: AppDeps): BackgroundJobs {
  const deliverer = new AlertDeliverer(deps);
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pass = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = deliverer
      .deliverDue()
      .then(
        () => undefined,
        (error: unknown) => deps.logger.error('alert delivery pass failed', { error }),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  const timer = setInterval(pass, POLL_MS);
  const unsubscribe = deps.outbox.subscribe(pass);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
