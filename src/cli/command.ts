// The shape of a CLI command and the helpers commands share.
import type { AppDeps } from '../app-deps.js';
import { OutboxSignal, systemClock } from '../app-deps.js';
import type { Config } from '../config.js';
import { databaseTarget, openDatabase, type Database } from '../db/database.js';
import { createLogger, type Level } from '../logger.js';
import { createSlackClient } from '../slack/web-client.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** True when stdout is a terminal (progress lines, colours). */
  isTty: boolean;
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  usage: string;
  run(args: string[], config: Config, io: CliIo): Promise<number>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Opens the database, applies pending migrations, runs `fn`, always closes. */
export async function withDatabase<T>(config: Config, command: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseTarget(config), { command: `account-health ${command}` });
  try {
    await db.migrate();
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * Dependencies for commands that may talk to Slack (recompute delivers alerts).
 * Without SLACK_BOT_TOKEN the client is absent and Slack work stays queued.
 */
export function cliDeps(config: Config, db: Database): AppDeps & { slackConfigured: boolean } {
  const logger = createLogger({ level: config.LOG_LEVEL as Level });
  return {
    config,
    db,
    logger,
    clock: systemClock,
    slack: createSlackClient(config.SLACK_BOT_TOKEN ?? 'xoxb-not-configured', config, logger),
    outbox: new OutboxSignal(),
    slackConfigured: config.SLACK_BOT_TOKEN !== undefined,
  };
}

/**
 * Long-running commands (serve, sandbox): wait for SIGTERM or SIGINT, then stop
 * gracefully; exit code 0. If `lost` settles first (the database stopped for
 * good), stop the same way with exit code 1, so a supervisor restarts the
 * service rather than keeping a process that can no longer answer.
 */
export function runUntilStopped(stop: () => Promise<void>, io: CliIo, lost?: Promise<Error>): Promise<number> {
  return new Promise<number>((resolve) => {
    let code = 0;
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      process.off('SIGTERM', shutdown);
      process.off('SIGINT', shutdown);
      stop().then(
        () => resolve(code),
        (error: unknown) => {
          io.err(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(code);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    void lost?.then(() => {
      code = 1;
      shutdown();
    });
  });
}
