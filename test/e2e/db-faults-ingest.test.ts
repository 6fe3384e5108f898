// PostgreSQL connections terminated in the middle of writes: an API batch, a
// CSV import (a real CLI process) and a scheduled recomputation. Each write is
// stalled inside its transaction by a trigger, then every backend of the test
// database is terminated. The call fails cleanly, nothing half-written is
// visible, and the next call succeeds without restarting anything.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api-tokens/api-tokens.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createPostgresDatabase } from '../support/databases.js';
import { connectPgFaults, type PgFaults } from '../support/pg-faults.js';
import { DECLINING, HEALTHY, seedAccounts } from '../support/seed.js';
import { runCliProcess, spawnCli } from '../support/spawn-cli.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const MAGIC_VALUE = 424_242;

describe('PostgreSQL connections terminated mid-write', () => {
  let url: string;
  let db: Database;
  let faults: PgFaults;
  let t: TestServer;
  let token: string;
  let dir: string;
  /** The test-side connection pool loses its connections too; its warnings are expected. */
  const dbLog: string[] = [];

  /** `n` distinct observations, a minute apart from `day` on. */
  const metricsBatch = (n: number, day: string) =>
    Array.from({ length: n }, (_, i) => ({ account: i % 2 === 0 ? 'F-1' : 'F-2', metric: 'logins_30d', value: i, observed_at: new Date(Date.parse(`${day}T00:00:00Z`) + i * 60_000).toISOString() }));
  const post = (route: string, body: unknown) =>
    fetch(`${t.server.url}/api/v1/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const counts = async () => ({
    observations: await db.prisma.metricObservation.count(),
    accounts: await db.prisma.account.count(),
  });
  /** Connection-loss notices reach each pooled client asynchronously; give them a moment, as a real outage would. */
  const settle = () => new Promise((r) => setTimeout(r, 200));

  beforeAll(async () => {
    url = await createPostgresDatabase();
    faults = await connectPgFaults(url);
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test', logger: createLogger({ level: 'warn', write: (l) => dbLog.push(l) }) });
    await seedAccounts(db, new Date(), [
      { externalId: 'F-1', name: 'Fault One', metrics: DECLINING },
      { externalId: 'F-2', name: 'Fault Two', metrics: HEALTHY },
    ]);
    await faults.installStall('metric_observations', { when: `NEW.value = ${MAGIC_VALUE} OR NEW.source = 'api'` });
    await faults.installStall('accounts');
    t = await startTestServer('postgres', { db });
    token = (await createApiToken(db.prisma, 'fault-test')).token;
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-faults-'));
  });
  afterAll(async () => {
    await faults.disarm().catch(() => undefined);
    await t.close();
    await db.close();
    await faults.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts `call`, waits until its write is stalled inside the transaction, then terminates every backend. */
  async function terminateDuring<T>(call: () => Promise<T>): Promise<T> {
    await faults.arm();
    const pending = call();
    await faults.waitForStall();
    // Disarm first: the stalled statement already passed its check; later writes must not stall.
    await faults.disarm();
    expect(await faults.terminateBackends()).toBeGreaterThanOrEqual(1);
    return pending;
  }

  it('answers 500 JSON to a metrics batch cut off mid-write, keeps none of it, and takes the same batch next', async () => {
    const before = await counts();
    const batch = metricsBatch(2_000, '2026-10-02');
    const res = await terminateDuring(() => post('metrics', batch));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^internal error; nothing from this call was half-written/) });
    await settle();
    expect(await counts()).toEqual(before);
    expect(await db.prisma.metricObservation.count({ where: { source: 'api' } })).toBe(0);

    const again = await post('metrics', batch);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ loaded: 2_000, inserted: 2_000, updated: 0, rejected: 0 });
    expect(await db.prisma.metricObservation.count({ where: { source: 'api' } })).toBe(2_000);
    // The server logged the cause.
    expect(t.logLines.some((l) => l.includes('"msg":"ingestion failed"') && l.includes('terminating connection due to administrator command'))).toBe(true);
  });

  it('answers 500 JSON to an accounts batch cut off mid-write, keeping none of it', async () => {
    const before = await counts();
    const accounts = Array.from({ length: 300 }, (_, i) => ({ external_id: `NEW-${i}`, name: `New Account ${i}` }));
    const res = await terminateDuring(() => post('accounts', accounts));
    expect(res.status).toBe(500);
    await settle();
    expect(await counts()).toEqual(before);
    const again = await post('accounts', accounts);
    expect(again.status).toBe(200);
    expect((await counts()).accounts).toBe(before.accounts + 300);
  });

  it('reports the outage on /healthz and answers API calls with 500 JSON while the database refuses connections, then recovers', async () => {
    const before = await counts();
    await faults.allowConnections(false);
    await faults.terminateBackends();
    await settle();
    try {
      const health = await fetch(`${t.server.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ ok: false, error: 'database unreachable' });
      const res = await post('metrics', metricsBatch(10, '2026-10-03'));
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/^internal error/) });
    } finally {
      await faults.allowConnections(true);
    }
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
    expect(await counts()).toEqual(before);
    expect((await post('metrics', metricsBatch(10, '2026-10-03'))).status).toBe(200);
  });

  it('stops a CSV import cut off mid-batch with a clear error: earlier batches kept whole, nothing from the failed batch; a re-run completes', async () => {
    // 7,000 rows: the importer writes 5,000-row batches; the stall is on line 6,002, in the second batch.
    const rows = Array.from({ length: 7_000 }, (_, i) => `F-2,orders_30d,${i === 6_000 ? MAGIC_VALUE : i},${new Date(Date.UTC(2026, 8, 1) + i * 60_000).toISOString()}`);
    const file = path.join(dir, 'metrics.csv');
    await writeFile(file, `account,metric,value,observed_at\n${rows.join('\n')}\n`);
    const csvRows = () => db.prisma.metricObservation.count({ where: { source: 'csv' } });
    expect(await csvRows()).toBe(0);

    await faults.arm();
    const cli = spawnCli(['import', 'metrics', file], { DATABASE_URL: url });
    await faults.waitForStall(30_000);
    await faults.disarm();
    await faults.terminateBackends();
    const code = await cli.exited;
    expect(code).toBe(1);
    expect(cli.output()).toContain(
      'the import stopped at line 5002 because the database failed (terminating connection due to administrator command). The 5000 row(s) before line 5002 were loaded; nothing from line 5002 on was written.',
    );
    // All or nothing per batch: exactly the first batch.
    expect(await csvRows()).toBe(5_000);
    const last = await db.prisma.metricObservation.findFirstOrThrow({ where: { source: 'csv' }, orderBy: { observedAt: 'desc' } });
    expect(last.observedAt.toISOString()).toBe(new Date(Date.UTC(2026, 8, 1) + 4_999 * 60_000).toISOString());

    const rerun = await runCliProcess(['import', 'metrics', file], { DATABASE_URL: url });
    expect(rerun.output).toContain('metrics: 7000 rows read, 7000 loaded (2000 new, 5000 updated), 0 rejected.');
    expect(rerun.code).toBe(0);
    expect(await csvRows()).toBe(7_000);
  }, 60_000);
});

describe('PostgreSQL connections terminated during a scheduled recomputation', () => {
  let url: string;
  let db: Database;
  let faults: PgFaults;
  let t: TestServer | null = null;

  beforeAll(async () => {
    url = await createPostgresDatabase();
    faults = await connectPgFaults(url);
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test', logger: createLogger({ level: 'error' }) });
    await seedAccounts(db, new Date(), [
      { externalId: 'S-1', name: 'Sched One', metrics: DECLINING },
      { externalId: 'S-2', name: 'Sched Two', metrics: HEALTHY },
      { externalId: 'S-3', name: 'Sched Three', metrics: HEALTHY },
    ]);
    await faults.installStall('score_snapshots');
  });
  afterAll(async () => {
    await faults.disarm().catch(() => undefined);
    await t?.close();
    await db.close();
    await faults.close();
  });

  it('fails the interrupted tick cleanly under the lock, leaves no partial snapshot set, and the next tick succeeds', async () => {
    await faults.arm();
    t = await startTestServer('postgres', { db, runBackgroundJobs: true, env: { RECOMPUTE_CRON: '* * * * * *' } });
    // A tick holds the cluster-wide lock and is inside its snapshot transaction.
    await faults.waitForStall();
    await faults.disarm();
    await faults.terminateBackends();

    const deadline = Date.now() + 15_000;
    let completed = 0;
    while (completed === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      completed = await db.prisma.scoreRun.count({ where: { trigger: 'schedule', status: 'completed' } });
    }
    await t.server.jobs?.stop();

    expect(completed).toBeGreaterThanOrEqual(1);
    expect(t.logLines.filter((l) => l.includes('scheduled recomputation failed'))).toHaveLength(1);
    // Every snapshot belongs to a completed run; every completed run has the full set.
    const runs = await db.prisma.scoreRun.findMany({ where: { trigger: 'schedule' }, include: { _count: { select: { snapshots: true } } } });
    for (const run of runs) expect(run._count.snapshots).toBe(run.status === 'completed' ? 3 : 0);
    expect(await db.prisma.scoreSnapshot.count()).toBe(3 * completed);
    // The interrupted tick is recorded as failed when the database lets it be.
    const failed = runs.filter((r) => r.status === 'failed');
    expect(failed.length).toBeLessThanOrEqual(1);
    for (const run of failed) {
      expect(run.error).toMatch(/terminating connection due to administrator command/);
      expect(await db.prisma.scoreSnapshot.count({ where: { asOf: run.asOf } })).toBe(0);
    }
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
  }, 40_000);
});
