// `serve`: migrate, then run the Slack app, the ingestion API and the scheduler
// in one process; stop gracefully on SIGTERM/SIGINT.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { OutboxSignal, systemClock, type AppDeps, type Clock } from '../app-deps.js';
import { ConfigError, requireSlackMode, type Config } from '../config.js';
import { databaseTarget, openDatabase, type Database } from '../db/database.js';
import { createHttpApp } from '../http/create-http-app.js';
import { configuredSecrets, createLogger, type Level, type Logger } from '../logger.js';
import { createSlackApp } from '../slack/create-slack-app.js';
import { createSlackClient, DEFAULT_SLACK_TUNING, type SlackClientTuning } from '../slack/web-client.js';
import { startBackgroundJobs, type BackgroundJobs } from '../jobs/start-background-jobs.js';

/** Start-up failed for a reason the operator can fix; printed as one line. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

export interface ServerOptions {
  config: Config;
  /** Tests pass an already opened database; otherwise one is opened from config. */
  db?: Database;
  logger?: Logger;
  clock?: Clock;
  tuning?: SlackClientTuning;
  unhandledRequestTimeoutMillis?: number;
  /** Tests drive jobs explicitly; serve runs them on their schedules. */
  runBackgroundJobs?: boolean;
  /** Interface to listen on (the sandbox binds loopback only); default all. */
  host?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  app: App;
  jobs: BackgroundJobs | null;
  /** Stops taking requests, lets in-flight work finish, stops jobs, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config } = options;
  const mode = requireSlackMode(config);
  // The configured secrets are masked by value in every line, whatever logs them.
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL as Level, secrets: configuredSecrets(config) });
  const ownsDb = options.db === undefined;
  const db = options.db ?? (await openDatabase(databaseTarget(config), { command: 'account-health serve', logger }));
  try {
    const report = await db.migrate();
    if (report.applied.length > 0) logger.info('database migrated', { applied: report.applied });

    const tuning = options.tuning ?? DEFAULT_SLACK_TUNING;
    const deps: AppDeps = {
      config,
      db,
      logger,
      clock: options.clock ?? systemClock,
      slack: createSlackClient(mode.botToken, config, logger, tuning),
      outbox: new OutboxSignal(),
    };
    const httpApp = createHttpApp(deps);
    const app = createSlackApp({
      mode,
      deps,
      http: httpApp,
      tuning,
      ...(options.unhandledRequestTimeoutMillis ? { unhandledRequestTimeoutMillis: options.unhandledRequestTimeoutMillis } : {}),
    });
    await app.init().catch((error: unknown) => {
      throw describeSlackStartupError(error, config.SLACK_API_URL ?? 'https://slack.com/api/');
    });
    if (mode.kind === 'socket') {
      await app.start().catch((error: unknown) => {
        throw describeSocketModeStartupError(error, config.SLACK_API_URL ?? 'https://slack.com/api/');
      });
    }

    const server = http.createServer(httpApp);
    server.listen(config.PORT, options.host);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const jobs = options.runBackgroundJobs === false ? null : startBackgroundJobs(deps);
    logger.info('account-health is serving', { port, slack: mode.kind, database: db.kind });

    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= (async () => {
        logger.info('shutting down');
        await jobs?.stop();
        server.close();
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.once('close', () => resolve()));
        if (mode.kind === 'socket') await app.stop();
        if (ownsDb) await db.close();
      })();
      return stopping;
    };
    return { url: `http://127.0.0.1:${port}`, port, deps, app, jobs, stop };
  } catch (error) {
    if (ownsDb) await db.close();
    throw error;
  }
}

/** Bolt's init calls auth.test; turn its failures into one actionable line. */
function describeSlackStartupError(error: unknown, apiUrl: string): Error {
  const detail = error instanceof Error ? error.message : String(error);
  if (/invalid_auth|not_authed|token_revoked|account_inactive/.test(detail)) {
    return new ConfigError('SLACK_BOT_TOKEN', `was rejected by Slack (${detail})`);
  }
  return new StartupError(`Could not reach Slack at ${apiUrl} to verify SLACK_BOT_TOKEN (auth.test): ${detail}`, { cause: error });
}

/** Socket Mode's start calls apps.connections.open with the app token; same idea. */
function describeSocketModeStartupError(error: unknown, apiUrl: string): Error {
  const detail = error instanceof Error ? error.message : String(error);
  if (/invalid_auth|not_authed|token_revoked|account_inactive|not_allowed_token_type/.test(detail)) {
    return new ConfigError('SLACK_APP_TOKEN', `was rejected by Slack (${detail}); it must be an app-level token with the connections:write scope`);
  }
  return new StartupError(`Could not open a Socket Mode connection through ${apiUrl} (apps.connections.open): ${detail}`, { cause: error });
}
