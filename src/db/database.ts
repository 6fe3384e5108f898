// The database module: opens the embedded PGlite (default) or PostgreSQL, gives
// out the Prisma client, runs migrations, and provides cross-process locks.
// Everything else reaches the database through the `Database` returned here.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { lockDataDirectory, type DataDirectoryLock } from './pglite-lock.js';
import { startPgliteThread, type PgliteThread } from './pglite-thread.js';
import { yieldingAdapter } from './pglite-yield.js';
import { applyMigrations, readMigrations, type MigrationReport } from './migrate.js';
import { pgSession, pgliteSession, type SqlSession } from './sql-runner.js';

export type Prisma = PrismaClient;

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  /** dataDir null = in-memory (tests). */
  | { kind: 'pglite'; dataDir: string | null };

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly prisma: PrismaClient;
  /** Applies pending migrations; safe when several replicas start together. */
  migrate(): Promise<MigrationReport>;
  /**
   * Runs `fn` only if no other process (or caller) holds `lockName`; returns
   * `{ ran: false }` at once otherwise. PostgreSQL advisory lock on a pinned
   * session; in-process for PGlite (which one process owns).
   */
  tryWithLock<T>(lockName: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Cheap liveness probe for /healthz. */
  ping(): Promise<void>;
  /**
   * Settles if the database stops for good while open: the embedded database's
   * thread dying. Never for PostgreSQL (its pool reconnects) or PGlite on the
   * caller's own thread (a crash there ends the process anyway).
   */
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}

/** The `lost` of a database that cannot be lost on its own. */
const NEVER_LOST: Promise<Error> = new Promise<Error>(() => undefined);

export function databaseTarget(config: { DATABASE_URL?: string | undefined; DATA_DIR: string }): DatabaseTarget {
  return config.DATABASE_URL
    ? { kind: 'postgres', url: config.DATABASE_URL }
    : { kind: 'pglite', dataDir: path.resolve(config.DATA_DIR) };
}

export interface OpenDatabaseOptions {
  command: string;
  /** Where lost PostgreSQL connections are reported (warn); without one they go to stderr. */
  logger?: Pick<Logger, 'warn'>;
  /**
   * PGlite on a thread of its own (pglite-thread.ts), for processes that must
   * answer while the database works: `serve` and the sandbox acknowledge Slack
   * within 3 s whatever a recomputation is doing. A one-shot CLI command has
   * nobody waiting on its event loop and skips the thread's ~1 s start-up.
   */
  ownThread?: boolean;
}

export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target.url, options.logger ?? stderrWarn) : openPglite(target.dataDir, options.command, options.ownThread === true);
}

/** For callers without a logger: one line, never the connection string. */
const stderrWarn: Pick<Logger, 'warn'> = {
  warn: (message, fields) => {
    const error = fields?.error instanceof Error ? `: ${fields.error.message}` : '';
    process.stderr.write(`account-health: ${message}${error}\n`);
  },
};

/** A stable 64-bit advisory lock key per lock name. */
function lockKey(lockName: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`account-health:${lockName}`)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, hash).toString();
}

async function openPostgres(url: string, logger: Pick<Logger, 'warn'>): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (restart, failover, a terminated backend)
  // must not crash the process: the pool drops it and connects afresh on next
  // use. It is still worth a line, so an outage shows up in the logs.
  pool.on('error', (error) => {
    logger.warn('database connection lost; the pool will reconnect on next use', { error });
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

  async function withSession<T>(fn: (session: SqlSession, client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A checked-out client has no pool listener. The lock session sits idle
    // while its holder works on other connections; if the server ends it then,
    // pg emits 'error' on it, which unheard would crash the process.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      if (lost) return; // pg follows the server's notice with "Connection terminated unexpectedly"
      lost = error;
      logger.warn('database connection lost while held; the pool will reconnect on next use', { error });
    };
    client.on('error', onError);
    try {
      return await fn(pgSession(client), client);
    } finally {
      client.removeListener('error', onError);
      client.release(lost);
    }
  }

  /**
   * Releases a session lock. If that fails the session is gone or unusable;
   * the server drops a session's advisory locks with it, so the work's own
   * outcome (or error) is what the caller gets, not the unlock's.
   */
  async function unlock(session: SqlSession, key: string): Promise<void> {
    await session.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch((error: unknown) => {
      logger.warn('could not release a database lock; its session is gone, and the lock with it', { error });
    });
  }

  return {
    kind: 'postgres',
    prisma,
    migrate: () =>
      withSession(async (session) => {
        // Blocking lock: replicas starting together wait for the first to finish.
        await session.query('SELECT pg_advisory_lock($1::bigint)', [lockKey('migrate')]);
        try {
          return await applyMigrations(session, await readMigrations());
        } finally {
          await unlock(session, lockKey('migrate'));
        }
      }),
    tryWithLock: (lockName, fn) =>
      withSession(async (session) => {
        const key = lockKey(lockName);
        const [row] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
        if (!row?.locked) return { ran: false } as const;
        try {
          return { ran: true, value: await fn() } as const;
        } finally {
          await unlock(session, key);
        }
      }),
    async ping() {
      // A pooled connection the server already closed (restart, failover) fails
      // once before the pool notices; only a second failure is an outage.
      await withSession((session) => session.query('SELECT 1')).catch(() => withSession((session) => session.query('SELECT 1')));
    },
    lost: NEVER_LOST,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string | null, command: string, ownThread: boolean): Promise<Database> {
  const lock: DataDirectoryLock | null = dataDir ? await lockDataDirectory(dataDir, command) : null;
  const directory = dataDir ? path.join(dataDir, 'pglite') : null;
  try {
    if (!ownThread) {
      const client = directory ? await PGlite.create(directory) : await PGlite.create();
      return openPgliteFromClient(client, lock);
    }
    return threadDatabase(await startPgliteThread({ dataDir: directory }), lock);
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/**
 * The embedded database on its own thread, started from a `dumpDataDir`
 * tarball (tests start from a migrated dump this way), in memory.
 */
export async function openPgliteThreadFromDump(dump: ArrayBuffer, spawn?: Parameters<typeof startPgliteThread>[1]): Promise<Database> {
  return threadDatabase(await startPgliteThread({ dataDir: null, dump }, spawn), null);
}

function threadDatabase(thread: PgliteThread, lock: DataDirectoryLock | null): Database {
  return pgliteDatabase(new PrismaClient({ adapter: thread.adapter }), thread.session, async () => {
    await thread.close();
    await lock?.release();
  }, thread.lost);
}

/**
 * Wraps an already opened PGlite on this thread (one-shot CLI commands, and
 * tests that load a migrated dump). Its statements run on the event loop's
 * thread, so each first yields to the loop; `serve` and the sandbox use the
 * database thread instead.
 */
export function openPgliteFromClient(client: PGlite, lock: DataDirectoryLock | null = null): Database {
  return pgliteDatabase(new PrismaClient({ adapter: yieldingAdapter(new PrismaPGlite(client)) }), pgliteSession(client), async () => {
    await client.close();
    await lock?.release();
  });
}

function pgliteDatabase(prisma: PrismaClient, session: SqlSession, closeStore: () => Promise<void>, lost = NEVER_LOST): Database {
  const held = new Set<string>();
  return {
    kind: 'pglite',
    prisma,
    migrate: async () => applyMigrations(session, await readMigrations()),
    async tryWithLock(lockName, fn) {
      if (held.has(lockName)) return { ran: false };
      held.add(lockName);
      try {
        return { ran: true, value: await fn() };
      } finally {
        held.delete(lockName);
      }
    },
    async ping() {
      await session.query('SELECT 1');
    },
    lost,
    async close() {
      await prisma.$disconnect();
      await closeStore();
    },
  };
}
