// Messages between the main thread and the embedded database's thread
// (pglite-thread.ts ⇄ pglite-worker.ts). Plain data only: everything crosses
// by structured clone.
import type { IsolationLevel, SqlQuery, TransactionOptions } from '@prisma/driver-adapter-utils';

export interface WorkerSetup {
  /** PGlite's data directory; null = in memory. */
  dataDir: string | null;
  /** A `dumpDataDir` tarball to start from (tests start from a migrated dump). */
  dump?: ArrayBuffer;
}

export type WorkerRequest = { id: number } & (
  | { op: 'queryRaw' | 'executeRaw'; query: SqlQuery; tx?: number }
  | { op: 'executeScript' | 'sessionExec'; sql: string }
  | { op: 'sessionQuery'; sql: string; params: unknown[] }
  | { op: 'startTransaction'; isolationLevel?: IsolationLevel }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'close' }
);

export type SerializedError =
  /** Prisma's mapped driver error, rethrown as a DriverAdapterError so Prisma reports P2002 and the rest as usual. */
  | { type: 'driver'; cause: Record<string, unknown> }
  | { type: 'error'; name: string; message: string; stack?: string | undefined; fields: Record<string, string> };

export type WorkerReply = { id: number } & ({ ok: true; value: unknown } | { ok: false; error: SerializedError });

export interface StartedTransaction {
  id: number;
  options: TransactionOptions;
}
