// The sandbox as a process and as Slack: `account-health sandbox` starts on
// loopback and prints its page; it refuses real-looking credentials and real
// accounts; towards the app it behaves as Slack (signed with this run's
// secret, ephemeral replies seen by one person, rate limits the app rides out).
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { upsertAccounts } from '../../src/ingest/write-accounts.js';
import { createLogger } from '../../src/logger.js';
import { SandboxRefusedError, startSandbox, type RunningSandbox } from '../../src/sandbox/start-sandbox.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/databases.js';
import { postSigned } from '../support/slack-requests.js';
import { runCliProcess, spawnCli } from '../support/spawn-cli.js';

const quietLogger = () => createLogger({ level: 'error', write: () => undefined });

function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function pagePost(base: string, route: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

describe('account-health sandbox (the command)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loads the demo into an empty database, serves the page on 127.0.0.1 only, and stops on SIGTERM', async () => {
    const cli = spawnCli(['sandbox', '--port', '0', '--accounts', '30'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    try {
      const line = await cli.waitForOutput(/open http:\/\/127\.0\.0\.1:\d+\//, 90_000);
      const url = line.replace(/^open /, '').replace(/\/$/, '');
      expect(cli.output()).toMatch(/Loading the demo portfolio \(30 accounts\)/);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('account-health');
      // Another site's name for this address (DNS rebinding) is refused.
      expect(await getWithHost(`${url}/sandbox/state?user=U0DEMOCSM01`, 'evil.example')).toBe(403);
      const port = new URL(url).port;
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) await expect(fetch(`http://${external.address}:${port}/`)).rejects.toThrow();
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  }, 120_000);

  it('says so in one line when the page\'s port is taken', async () => {
    const taken = http.createServer();
    taken.listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { code, output } = await runCliProcess(['sandbox', '--port', String(port)], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
  }, 90_000);

  it('refuses a real-looking SLACK_BOT_TOKEN unless --force', async () => {
    const token = `xoxb-123456789012-1234567890123-${'a'.repeat(24)}`;
    const { code, output } = await runCliProcess(['sandbox', '--port', '0'], { DATA_DIR: dataDir, SLACK_BOT_TOKEN: token });
    expect(code).toBe(1);
    expect(output).toMatch(/will not start with a real-looking SLACK_BOT_TOKEN/);
    expect(output).not.toContain(token);
  }, 60_000);
});

describe.each(DATABASE_KINDS)('the sandbox on a database with real accounts (%s)', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await upsertAccounts(db.prisma, [{ externalId: 'acme', name: 'Acme Corp' }]);
  });
  afterAll(async () => db?.close());

  it('refuses to start, naming the accounts, and starts with --force', async () => {
    const config = loadConfig({ LOG_LEVEL: 'error' });
    await expect(startSandbox({ config, port: 0, db, logger: quietLogger() })).rejects.toThrow(SandboxRefusedError);
    await expect(startSandbox({ config, port: 0, db, logger: quietLogger() })).rejects.toThrow(/1 account\(s\) that are not demo accounts \(e\.g\. acme\)/);
    const forced = await startSandbox({ config, port: 0, db, force: true, logger: quietLogger() });
    try {
      // No demo on top of real data: the database was not empty.
      expect(await db.prisma.account.count()).toBe(1);
    } finally {
      await forced.stop();
    }
  }, 60_000);
});

describe('the sandbox as Slack, towards the app', () => {
  let db: Database;
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    sandbox = await startSandbox({ config: loadConfig({ LOG_LEVEL: 'error' }), port: 0, db, demo: { seed: 7, accounts: 30 }, logger: quietLogger() });
  }, 90_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.close();
  });

  it('signs with a secret of its own: a request signed otherwise is refused by the app', async () => {
    const body = new URLSearchParams({ command: '/health', text: 'help', user_id: 'U0DEMOCSM01', channel_id: 'C0GENERAL1', response_url: `${sandbox.url}/response/x` }).toString();
    const forged = await postSigned(`${sandbox.app.url}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: 'test-signing-secret-0123456789' });
    expect(forged.status).toBe(401);
  });

  it('delivers a command\'s ephemeral reply to the person who ran it only', async () => {
    expect(await pagePost(sandbox.url, '/sandbox/command', { user: 'U0DEMOCSM01', channel: 'C0GENERAL1', text: '/health help' })).toEqual({ ok: true });
    const reply = () => sandbox.workspace.visibleTo('U0DEMOCSM01', 'C0GENERAL1').find((m) => m.ephemeralFor === 'U0DEMOCSM01');
    for (let v = sandbox.workspace.version; !reply(); v = sandbox.workspace.version) await sandbox.workspace.changed(v, 5_000);
    expect(sandbox.workspace.visibleTo('U0DEMOCSM02', 'C0GENERAL1').some((m) => m.ephemeralFor !== undefined)).toBe(false);
  });

  it('answers an unknown command as Slack would, without bothering the app', async () => {
    expect(await pagePost(sandbox.url, '/sandbox/command', { user: 'U0DEMOCSM01', channel: 'C0GENERAL1', text: '/weather' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a valid command/) });
    expect(await pagePost(sandbox.url, '/sandbox/command', { user: 'U0NOTREAL1', channel: 'C0GENERAL1', text: '/health' })).toMatchObject({ ok: false });
  });

  it('rides out simulated rate limits: the day\'s alerts still arrive, once each', async () => {
    expect(await pagePost(sandbox.url, '/sandbox/simulate', { rateLimitedPosts: 2 })).toEqual({ ok: true });
    const answer = await pagePost(sandbox.url, '/sandbox/advance-day', {});
    expect(answer.summary).toMatch(/had a bad day/);
    const alertCount = await db.prisma.alert.count({ where: { slackChannelId: { not: null } } });
    const posted = () => [...sandbox.workspace.messages.values()].flat().filter((m) => m.user === 'U0SANDBOT1' && m.metadata !== undefined && m.threadTs === undefined).length;
    for (let v = sandbox.workspace.version; posted() < alertCount; v = sandbox.workspace.version) await sandbox.workspace.changed(v, 20_000);
    expect(posted()).toBe(alertCount);
  }, 60_000);

  it('refuses page requests that are not JSON (a cross-site form cannot drive it)', async () => {
    const response = await fetch(`${sandbox.url}/sandbox/advance-day`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
    expect(response.status).toBe(405);
  });
});
