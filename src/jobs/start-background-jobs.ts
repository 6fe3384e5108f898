// Background work of a serving process, each job small and wired here.
import type { AppDeps } from '../app-deps.js';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

type StartJob = (deps: AppDeps) => BackgroundJobs;

const jobs: StartJob[] = [
  // job starters (one per jobs/*.ts file)
];

export function startBackgroundJobs(deps: AppDeps): BackgroundJobs {
  const running = jobs.map((start) => start(deps));
  return {
    async stop() {
      await Promise.all(running.map((job) => job.stop()));
    },
  };
}
