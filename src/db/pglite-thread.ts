// The embedded database on a thread of its own (see pglite-worker.ts for why).
// The main thread holds a Prisma driver adapter whose every query is a message
// to that thread, and a small SQL session for migrations and pings. While a
// long statement runs there, the event loop here stays free: Slack gets its
// acknowledgement in time whatever a recomputation or an import is doing.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  DriverAdapterError,
  type ConnectionInfo,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';
import type { SerializedError, StartedTransaction, WorkerReply, WorkerRequest, WorkerSetup } from './pglite-thread-protocol.js';
import type { SqlSession } from './sql-runner.js';

export interface PgliteThread {
  /** Prisma's adapter: each query runs on the database thread. */
  readonly adapter: SqlDriverAdapterFactory;
  /** Raw statements (migrations, pings) on the same database. */
  readonly session: SqlSession;
  /**
   * Settles if the thread stops without close() being asked (a crash in the
   * database, an aborted WebAssembly instance): every later query fails, so
   * whoever owns the database should stop rather than serve without it.
   */
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}

/** The adapter name Prisma sees: the published PGlite adapter does the work on the other side. */
const ADAPTER_NAME = 'pglite-prisma-adapter';

type Ask = <T>(request: DistributiveOmit<WorkerRequest, 'id'>) => Promise<T>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function toError(serialized: SerializedError): Error {
  if (serialized.type === 'driver') return new DriverAdapterError(serialized.cause as ConstructorParameters<typeof DriverAdapterError>[0]);
  const error = Object.assign(new Error(serialized.message), serialized.fields);
  error.name = serialized.name;
  // The database thread's stack says where PGlite failed; the caller's own stack follows.
  if (serialized.stack) error.stack = `${serialized.stack}\n    --- on the embedded database thread, asked from ---\n${new Error().stack?.split('\n').slice(1).join('\n') ?? ''}`;
  return error;
}

/** The worker entry: the compiled .js next to this file, or the .ts source through tsx (tests, `npm start`). */
export function spawnPgliteWorker(setup: WorkerSetup): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './pglite-worker.ts' : './pglite-worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: setup });
  const tsxApi = tsxEsmApi();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

/** tsx's ESM register API (its CommonJS build cannot register ESM hooks in a worker). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as { exports: Record<string, { import: { default: string } }> };
  const entry = manifest.exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx does not export ./esm/api; the embedded database thread cannot load its TypeScript source');
  return pathToFileURL(path.join(path.dirname(manifestPath), entry)).href;
}

/** `spawn` is the worker's start (tests wrap it to hold the worker and stop it as a crash would). */
export async function startPgliteThread(setup: WorkerSetup, spawn: (setup: WorkerSetup) => Worker = spawnPgliteWorker): Promise<PgliteThread> {
  const worker = spawn(setup);
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let stopped: Error | null = null;
  let closing = false;
  let reportLost: (error: Error) => void = () => undefined;
  const lost = new Promise<Error>((resolve) => {
    reportLost = resolve;
  });

  const failAll = (error: Error) => {
    stopped ??= error;
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
    if (!closing) reportLost(stopped);
  };
  worker.on('message', (reply: WorkerReply) => {
    const job = waiting.get(reply.id);
    if (!job) return;
    waiting.delete(reply.id);
    if (reply.ok) job.resolve(reply.value);
    else job.reject(toError(reply.error));
  });
  worker.on('error', (error) => failAll(new Error(`the embedded database thread failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => failAll(new Error(`the embedded database thread stopped (exit code ${code})`)));

  const ask: Ask = <T>(request: DistributiveOmit<WorkerRequest, 'id'>) => {
    if (stopped) return Promise.reject(stopped);
    nextId += 1;
    const id = nextId;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  // The worker answers id 0 once PGlite is open (or could not be).
  await new Promise<void>((resolve, reject) => {
    waiting.set(0, { resolve: () => resolve(), reject });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  const session: SqlSession = {
    exec: (sql) => ask<void>({ op: 'sessionExec', sql }),
    query: <T>(sql: string, params: unknown[] = []) => ask<T[]>({ op: 'sessionQuery', sql, params }),
  };

  return {
    adapter: adapterFactory(ask),
    session,
    lost,
    async close() {
      closing = true;
      if (!stopped) await ask({ op: 'close' });
      stopped ??= new Error('the embedded database is closed');
      await worker.terminate();
    },
  };
}

class ThreadQueryable implements SqlQueryable {
  readonly provider = 'postgres';
  readonly adapterName = ADAPTER_NAME;

  constructor(
    protected readonly ask: Ask,
    private readonly tx?: number,
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.ask<SqlResultSet>(this.tx === undefined ? { op: 'queryRaw', query } : { op: 'queryRaw', query, tx: this.tx });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.ask<number>(this.tx === undefined ? { op: 'executeRaw', query } : { op: 'executeRaw', query, tx: this.tx });
  }
}

class ThreadTransaction extends ThreadQueryable implements Transaction {
  constructor(
    ask: Ask,
    private readonly id: number,
    readonly options: TransactionOptions,
  ) {
    super(ask, id);
  }

  commit(): Promise<void> {
    return this.ask<void>({ op: 'commit', tx: this.id });
  }

  rollback(): Promise<void> {
    return this.ask<void>({ op: 'rollback', tx: this.id });
  }
}

class ThreadAdapter extends ThreadQueryable implements SqlDriverAdapter {
  executeScript(script: string): Promise<void> {
    return this.ask<void>({ op: 'executeScript', sql: script });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const started = await this.ask<StartedTransaction>(isolationLevel ? { op: 'startTransaction', isolationLevel } : { op: 'startTransaction' });
    return new ThreadTransaction(this.ask, started.id, started.options);
  }

  getConnectionInfo(): ConnectionInfo {
    return { supportsRelationJoins: true };
  }

  async dispose(): Promise<void> {}
}

function adapterFactory(ask: Ask): SqlDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: ADAPTER_NAME,
    connect: async () => new ThreadAdapter(ask),
  };
}
