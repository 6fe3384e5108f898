// When the embedded database's thread dies under a running server (a crash in
// the database, an aborted WebAssembly instance), every later request and job
// would fail. The server says so in its log and stops, and `serve` exits with
// code 1, so a supervisor restarts it instead of keeping a process that
// answers nothing. The real app, on the thread database `serve` opens; the
// worker is stopped from outside, as a crash would stop it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUntilStopped } from '../../src/cli/command.js';
import type { Database } from '../../src/db/database.js';
import { openCrashablePgliteThread } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('serve when the embedded database thread dies', () => {
  let db: Database;
  let crash: () => Promise<number>;
  let t: TestServer;
  beforeAll(async () => {
    ({ db, crash } = await openCrashablePgliteThread());
    t = await startTestServer('pglite', { db });
  });
  afterAll(async () => {
    await t.close();
    await db.close();
  });

  it('logs why and stops with exit code 1', async () => {
    const errors: string[] = [];
    const io = { out: () => undefined, err: (line: string) => errors.push(line), isTty: false };
    const exited = runUntilStopped(() => t.server.stop(), io, t.server.lost);
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);

    await crash();
    expect(await exited).toBe(1);
    expect(errors).toEqual([]);
    const logged = t.logLines.map((l) => JSON.parse(l) as { level: string; msg: string; error?: unknown });
    const line = logged.find((l) => l.level === 'error' && l.msg.startsWith('the database stopped and cannot be used again'));
    expect(JSON.stringify(line?.error)).toContain('the embedded database thread stopped');
    // Stopped: the port no longer answers.
    await expect(fetch(`${t.server.url}/healthz`)).rejects.toThrow();
  });
});
