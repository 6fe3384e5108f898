// PostgreSQL faults: connections killed in the middle of a recomputation leave
// no partial snapshot set; while the database refuses connections /healthz says
// so; once it is back the app works again without a restart.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { recomputeScores } from '../../../src/scoring-run/recompute.js';
import { createPostgresDatabase } from '../../support/databases.js';
import { DECLINING, HEALTHY, seedAccounts } from '../../support/seed.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { openDatabase } from '../../../src/db/database.js';

const now = new Date('2026-11-20T10:00:00Z');

describe('PostgreSQL faults', () => {
  let t: TestServer;
  let admin: pg.Client;
  let dbName: string;
  const kill = () => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);

  beforeAll(async () => {
    const url = await createPostgresDatabase();
    dbName = new URL(url).pathname.slice(1);
    admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
    await admin.connect();
    const db = await openDatabase({ kind: 'postgres', url }, { command: 'test' });
    t = await startTestServer('postgres', { db, clock: () => now });
    await seedAccounts(db, now, [
      { externalId: 'A', name: 'Alpha', metrics: DECLINING },
      { externalId: 'B', name: 'Beta', metrics: HEALTHY },
    ]);
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    await t.close();
    await t.db.close();
    await admin.end();
  });

  it('fails a recomputation cleanly when the server drops its connections mid-run, then recovers', async () => {
    const deps = { db: t.db, clock: () => now, logger: createLogger({ level: 'error' }) };
    await expect(
      recomputeScores(deps, { trigger: 'cli', afterSnapshots: async () => { await kill(); await new Promise((r) => setTimeout(r, 100)); return { alertsOpened: 0 }; } }),
    ).rejects.toThrow();
    expect(await t.db.prisma.scoreSnapshot.count()).toBe(0);
    const result = await recomputeScores(deps, { trigger: 'cli' });
    expect(result.accountsScored).toBe(2);
    expect(await t.db.prisma.scoreSnapshot.count()).toBe(2);
  });

  it('reports the outage on /healthz and recovers without a restart', async () => {
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await kill();
    const down = await fetch(`${t.server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ok: false, error: 'database unreachable' });
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
    expect(await t.db.prisma.account.count()).toBe(2);
  });
});
