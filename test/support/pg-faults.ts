// Fault injection on a throwaway PostgreSQL database this test run created:
// terminate its backends, or make a chosen statement stall inside its
// transaction (a trigger that sleeps while "armed") so a test can terminate the
// connections at a known point in the middle of a write. Never touches any
// database but the one named.
import pg from 'pg';
import { inject } from 'vitest';

export interface PgFaults {
  readonly dbName: string;
  /** pg_terminate_backend on every connection to the test database; returns how many. */
  terminateBackends(): Promise<number>;
  /**
   * Installs a trigger on `table` that, while armed, sleeps inside the writing
   * transaction (after its rows are written, before commit). `when` is an SQL
   * condition on NEW for row triggers; omit it for one stall per statement.
   */
  installStall(table: string, options?: { when?: string }): Promise<void>;
  arm(): Promise<void>;
  disarm(): Promise<void>;
  /** Resolves once a backend of the test database is sleeping in the stall trigger. */
  waitForStall(timeoutMs?: number): Promise<void>;
  /** Refuse (or allow again) new connections to the test database. */
  allowConnections(allow: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function connectPgFaults(databaseUrl: string): Promise<PgFaults> {
  const dbName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!dbName.startsWith(`ah_${inject('runId')}_`)) throw new Error(`refusing to inject faults into ${dbName}: not a database of this test run`);
  const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await admin.connect();
  // The switch lives in the test database, so the trigger sees it from any session.
  const inDb = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await inDb(`
    CREATE TABLE IF NOT EXISTS test_fault_switch (armed boolean NOT NULL);
    INSERT INTO test_fault_switch SELECT false WHERE NOT EXISTS (SELECT 1 FROM test_fault_switch);
    CREATE OR REPLACE FUNCTION test_fault_stall() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (SELECT armed FROM test_fault_switch LIMIT 1) THEN PERFORM pg_sleep(60); END IF;
      RETURN NULL;
    END $$;`);
  let stalls = 0;
  return {
    dbName,
    async terminateBackends() {
      const { rows } = await admin.query<{ terminated: boolean }>(
        'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
      return rows.filter((r) => r.terminated).length;
    },
    async installStall(table, options = {}) {
      stalls += 1;
      const level = options.when ? `FOR EACH ROW WHEN (${options.when})` : 'FOR EACH STATEMENT';
      await inDb(`CREATE TRIGGER test_fault_stall_${stalls} AFTER INSERT OR UPDATE ON ${table} ${level} EXECUTE FUNCTION test_fault_stall()`);
    },
    arm: () => inDb('UPDATE test_fault_switch SET armed = true'),
    disarm: () => inDb('UPDATE test_fault_switch SET armed = false'),
    async waitForStall(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event = 'PgSleep'", [dbName]);
        if (rows.length > 0) return;
        if (Date.now() > deadline) throw new Error(`no backend of ${dbName} reached the stall in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async allowConnections(allow) {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
    },
    async close() {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    },
  };
}
