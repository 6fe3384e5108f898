// What domain code and listeners receive: explicit dependencies, never globals.
import type { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
  /** Bot-token Web API client honouring SLACK_API_URL. */
  slack: WebClient;
}
