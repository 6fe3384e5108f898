// What domain code and listeners receive: explicit dependencies, never globals.
import type { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Tells the alert deliverer there is new work, so claims show within a second. */
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();
  notify(): void {
    for (const listener of this.listeners) listener();
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
  /** Bot-token Web API client honouring SLACK_API_URL. */
  slack: WebClient;
  outbox: OutboxSignal;
  /** Rescores the accounts an ingestion touched within seconds (serve); absent where nothing rescores in the background. */
  rescore?: Rescorer;
}

export interface Rescorer {
  add(accountIds: Iterable<number>): void;
  /** The touched accounts' scores reflect the data within about this many seconds. */
  readonly withinSeconds: number;
}
