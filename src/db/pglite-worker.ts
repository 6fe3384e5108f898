// The embedded database's own thread. PGlite is PostgreSQL compiled to WASM:
// every statement runs synchronously on the thread that owns it. On the main
// thread a full recomputation's statements (seconds each at 10,000 accounts)
// held every Slack acknowledgement until they ended. Here they hold only this
// thread; the main thread keeps reading requests.
//
// The boundary is Prisma's driver-adapter interface: the main thread's
// adapter (pglite-thread.ts) posts each query here, where the published PGlite
// adapter runs it, so values are converted exactly as in-process. Migrations
// and pings use the raw session messages.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { WorkerReply, WorkerRequest, WorkerSetup, SerializedError } from './pglite-thread-protocol.js';

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs only as a worker thread');

const setup = workerData as WorkerSetup;
const transactions = new Map<number, Transaction>();
let nextTransactionId = 0;

function serializeError(error: unknown): SerializedError {
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    // Prisma's DriverAdapterError: the mapped cause is what Prisma reads (P2002 and the rest).
    if (record.name === 'DriverAdapterError' && typeof record.cause === 'object' && record.cause !== null) {
      return { type: 'driver', cause: structuredClone(record.cause) as Record<string, unknown> };
    }
    const fields: Record<string, string> = {};
    for (const key of ['code', 'severity', 'detail', 'hint', 'position', 'schema', 'table', 'column', 'constraint', 'routine']) {
      if (typeof record[key] === 'string') fields[key] = record[key];
    }
    if (error instanceof Error) return { type: 'error', name: error.name, message: error.message, stack: error.stack, fields };
  }
  return { type: 'error', name: 'Error', message: String(error), fields: {} };
}

async function open(): Promise<{ client: PGlite; adapter: SqlDriverAdapter }> {
  const options = setup.dump ? { loadDataDir: new Blob([setup.dump]) } : {};
  const client = setup.dataDir ? await PGlite.create(setup.dataDir, options) : await PGlite.create(options);
  const adapter = await new PrismaPGlite(client).connect();
  return { client, adapter };
}

function transaction(id: number | undefined): Transaction {
  const found = id === undefined ? undefined : transactions.get(id);
  if (!found) throw new Error(`no open transaction ${String(id)} in the embedded database thread`);
  return found;
}

async function handle(opened: { client: PGlite; adapter: SqlDriverAdapter }, request: WorkerRequest): Promise<unknown> {
  const { client, adapter } = opened;
  switch (request.op) {
    case 'queryRaw':
      return (request.tx === undefined ? adapter : transaction(request.tx)).queryRaw(request.query);
    case 'executeRaw':
      return (request.tx === undefined ? adapter : transaction(request.tx)).executeRaw(request.query);
    case 'executeScript':
      // The published adapter does not await its script; a failure would go unheard.
      await client.exec(request.sql);
      return undefined;
    case 'startTransaction': {
      const tx = await adapter.startTransaction(request.isolationLevel);
      nextTransactionId += 1;
      transactions.set(nextTransactionId, tx);
      return { id: nextTransactionId, options: tx.options };
    }
    case 'commit':
    case 'rollback': {
      const tx = transaction(request.tx);
      transactions.delete(request.tx);
      await (request.op === 'commit' ? tx.commit() : tx.rollback());
      return undefined;
    }
    case 'sessionExec':
      await client.exec(request.sql);
      return undefined;
    case 'sessionQuery':
      return (await client.query(request.sql, request.params)).rows;
    case 'close':
      await client.close();
      return undefined;
  }
}

const ready = open();
ready.then(
  () => port.postMessage({ id: 0, ok: true, value: undefined } satisfies WorkerReply),
  (error: unknown) => port.postMessage({ id: 0, ok: false, error: serializeError(error) } satisfies WorkerReply),
);

port.on('message', (request: WorkerRequest) => {
  ready
    .then((opened) => handle(opened, request))
    .then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies WorkerReply),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies WorkerReply),
    );
});
