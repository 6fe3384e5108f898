// The scheduled HubSpot sync: on RECOMPUTE_CRON while HUBSPOT_TOKEN is set. A
// failed run is logged and resumed by the next tick from the page that failed;
// the database lock lets one replica sync at a time.
import cron from 'node-cron';
import type { AppDeps } from '../app-deps.js';
import { hubspotSyncDeps } from '../connectors/hubspot/create-hubspot-sync.js';
import { syncHubSpot } from '../connectors/hubspot/sync-hubspot.js';
import type { BackgroundJobs } from './start-background-jobs.js';

export function startHubSpotSync(deps: AppDeps): BackgroundJobs {
  if (!deps.config.HUBSPOT_TOKEN) return { stop: async () => undefined };
  const log = deps.logger.child('hubspot');
  const sync = hubspotSyncDeps(deps.config, deps.db, deps.logger, deps.clock, deps.slack);
  let inFlight: Promise<unknown> = Promise.resolve();
  const task = cron.schedule(
    deps.config.RECOMPUTE_CRON,
    async () => {
      const run = syncHubSpot(sync).then(
        (result) => {
          if (!result.ran) log.info('skipped: another process is syncing HubSpot');
        },
        (error: unknown) => log.error('scheduled HubSpot sync failed', { error }),
      );
      inFlight = run;
      await run;
    },
    { noOverlap: true, name: `hubspot-sync-${process.pid}-${Date.now()}` },
  );
  return {
    async stop() {
      await task.destroy();
      await inFlight;
    },
  };
}
