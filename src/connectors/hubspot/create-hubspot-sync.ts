// Builds the sync's dependencies from the configuration, for the CLI and the scheduler alike.
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../app-deps.js';
import { ConfigError, type Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { HubSpotClient } from './hubspot-client.js';
import type { HubSpotSyncDeps } from './sync-hubspot.js';

export function hubspotSyncDeps(config: Config, db: Database, logger: Logger, clock: Clock, slack: WebClient | null): HubSpotSyncDeps {
  if (!config.HUBSPOT_TOKEN) {
    throw new ConfigError('HUBSPOT_TOKEN', 'is required to sync HubSpot (a private app token with the crm.objects.companies.read and crm.objects.owners.read scopes)');
  }
  return {
    db,
    client: new HubSpotClient({ baseUrl: config.HUBSPOT_API_URL, token: config.HUBSPOT_TOKEN }),
    slack,
    clock,
    logger,
    renewalProperty: config.HUBSPOT_RENEWAL_PROPERTY,
  };
}
