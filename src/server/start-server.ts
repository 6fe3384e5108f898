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
import { classifySlackFailure, SlackConnection, type Backoff, type SlackAttempt } from '../slack/slack-connection.js';
import { createSlackClient, DEFAULT_SLACK_TUNING, type SlackClientTuning } from '../slack/web-client.js';
import { startBackgroundJobs, type BackgroundJobs } from '../jobs/start-background-jobs.js';
import { RescoreQueue, type RescorePacing } from '../jobs/rescore-queue.js';

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
  /** Retry pacing while Slack is unreachable (tests shorten it). */
  slackBackoff?: Backoff;
  /** Rescore the accounts an ingestion touched within seconds (default: when background jobs run). */
  rescoreOnIngest?: boolean | RescorePacing;
  /** Interface to listen on (the sandbox binds loopback only); default all. */
  host?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  app: App;
  /** Slack's verdict on the credentials: unverified while Slack is out of reach. */
  slack: SlackConnection;
  jobs: BackgroundJobs | null;
  /**
   * Settles, once logged, if the database stops for good while serving (the
   * embedded database's thread dying): every request and job would fail from
   * then on, so the owner should stop and let a supervisor restart it.
   */
  lost: Promise<Error>;
  /** Stops taking requests, lets in-flight work finish, stops jobs, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config } = options;
  const mode = requireSlackMode(config);
  // The configured secrets are masked by value in every line, whatever logs them.
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL as Level, secrets: configuredSecrets(config) });
  const ownsDb = options.db === undefined;
  const db = options.db ?? (await openDatabase(databaseTarget(config), { command: 'account-health serve', logger, ownThread: true }));
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
    const rescoreOption = options.rescoreOnIngest ?? options.runBackgroundJobs !== false;
    const rescore = rescoreOption === false ? null : new RescoreQueue(deps, rescoreOption === true ? undefined : rescoreOption);
    if (rescore) deps.rescore = rescore;
    const apiUrl = config.SLACK_API_URL ?? 'https://slack.com/api/';
    let socketStarted = false;
    // Declared before the app so authorize can read it; the attempt closes over the app below.
    let slack: SlackConnection | null = null;
    const httpApp = createHttpApp(deps, { slackState: () => slack?.state ?? 'unverified' });
    const app = createSlackApp({
      mode,
      deps,
      http: httpApp,
      tuning,
      identity: () => ({ botUserId: slack?.botUserId, botId: slack?.botId }),
      ...(options.unhandledRequestTimeoutMillis ? { unhandledRequestTimeoutMillis: options.unhandledRequestTimeoutMillis } : {}),
    });
    await app.init();
    // Verification is one call with no retries of its own: the connection paces the retries.
    // Its failures are reported once, by the connection, not again by the client at warn level (at debug, everything shows).
    const verifierLevel = config.LOG_LEVEL === 'debug' ? 'debug' : 'error';
    const verifier = createSlackClient(mode.botToken, { ...config, LOG_LEVEL: verifierLevel }, logger, { retries: 0, timeoutMs: tuning.timeoutMs });
    const attempt = async (): Promise<SlackAttempt> => {
      let identity: { botUserId?: string | undefined; botId?: string | undefined };
      try {
        const answer = await verifier.auth.test();
        identity = { botUserId: answer.user_id, botId: answer.bot_id };
      } catch (error) {
        return classifySlackFailure(error) === 'rejected' ? { kind: 'rejected', error: describeSlackStartupError(error) } : { kind: 'unreachable', error };
      }
      if (mode.kind === 'socket' && !socketStarted) {
        try {
          await app.start();
          socketStarted = true;
        } catch (error) {
          return classifySlackFailure(error) === 'rejected' ? { kind: 'rejected', error: describeSocketModeStartupError(error) } : { kind: 'unreachable', error };
        }
      }
      return { kind: 'verified', ...identity };
    };
    const connection = new SlackConnection(attempt, logger, options.slackBackoff);
    slack = connection;
    const first = await connection.check();
    // Only Slack saying the token is invalid stops start-up; an outage must not take the API and scheduler down with it.
    if (first.kind === 'rejected') throw first.error;
    if (first.kind === 'unreachable') {
      logger.warn(`Slack is unreachable at ${apiUrl}: serving the ingestion API and the scheduler anyway; Slack features resume once it answers (retrying in the background)`, { error: first.error });
      connection.retryInBackground();
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
        connection.stop();
        await jobs?.stop();
        server.close();
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.once('close', () => resolve()));
        // After the last request: what it ingested is rescored before the database closes.
        await rescore?.stop();
        if (socketStarted) await app.stop();
        if (ownsDb) await db.close();
      })();
      return stopping;
    };
    const lost = db.lost.then((error) => {
      logger.error('the database stopped and cannot be used again; account-health stops so that it can be restarted', { error });
      return error;
    });
    return { url: `http://127.0.0.1:${port}`, port, deps, app, slack: connection, jobs, lost, stop };
  } catch (error) {
    if (ownsDb) await db.close();
    throw error;
  }
}

/** auth.test refused the bot token: one actionable line. */
function describeSlackStartupError(error: unknown): Error {
  const detail = error instanceof Error ? error.message : String(error);
  return new ConfigError('SLACK_BOT_TOKEN', `was rejected by Slack (${detail})`);
}

/** Socket Mode's start (apps.connections.open) refused the app token; same idea. */
function describeSocketModeStartupError(error: unknown): Error {
  const detail = error instanceof Error ? error.message : String(error);
  return new ConfigError('SLACK_APP_TOKEN', `was rejected by Slack (${detail}); it must be an app-level token with the connections:write scope`);
}
