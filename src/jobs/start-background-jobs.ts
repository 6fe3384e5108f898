// Background work of a serving process, each job small and wired here.
import type { AppDeps } from '../app-deps.js';
import { startAlertMaintenance } from './alert-maintenance-job.js';
import { startAlertDelivery } from './deliver-alerts-job.js';
import { startRecomputeSchedule } from './recompute-schedule.js';
import { startEventRetention } from './event-retention-job.js';
import { startHubSpotSync } from './hubspot-sync-job.js';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

type StartJob = (deps: AppDeps) => BackgroundJobs;

const jobs: StartJob[] = [
  startRecomputeSchedule,
  startAlertDelivery,
  startAlertMaintenance,
  startEventRetention,
  startHubSpotSync,
];

export function startBackgroundJobs(deps: AppDeps): BackgroundJobs {
  const running = jobs.map((start) => start(deps));
  return {
    async stop() {
      await Promise.all(running.map((job) => job.stop()));
    },
  };
}
