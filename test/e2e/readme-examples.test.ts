// The README's ingestion example, as written, on the demo: the Slack settings
// its `npm start` line uses (no workspace), the body its curl sends, the token
// created before serve, and the refusal a `TOKEN=$(…)` user sees while serve
// holds the embedded database. Real processes, real HTTP, started as the
// README's npm scripts start them (src/cli/index.ts through tsx).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs, PROJECT_DIR, runCliProcess, startServeProcess, type ServeProcess } from '../support/spawn-cli.js';

/** The "### Ingestion API" shell block of the README. */
async function ingestionExample(): Promise<string> {
  const readme = await readFile(path.join(PROJECT_DIR, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Ingestion API'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no shell example under "### Ingestion API"');
  return block;
}

/** Runs the entry point with stdout and stderr apart, as `$(…)` separates them. */
function runSeparated(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, cliArgs(args, 'tsx'), {
    cwd: PROJECT_DIR, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the README ingestion example on the demo (real processes)', () => {
  let dir: string;
  let env: Record<string, string>;
  let serve: ServeProcess;
  let token: string;
  let example: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-readme-'));
    env = { DATA_DIR: path.join(dir, 'data'), RECOMPUTE_CRON: '0 3 * * *' };
    example = await ingestionExample();
    expect(example).toMatch(/^npm run demo/m);
    expect((await runCliProcess(['demo', '--accounts', '20'], env, 'tsx')).code).toBe(0);
    // Token first, as the README orders it: serve will hold ./data.
    expect(example.indexOf('token create')).toBeLessThan(example.indexOf('npm start'));
    const created = await runSeparated(['token', 'create', 'warehouse-sync'], env);
    expect(created.code).toBe(0);
    token = created.stdout.trim();
    expect(token).toMatch(/^ahk_\S+$/);
    // The Slack settings of the README's `npm start` line, as written (PORT aside: tests share the machine).
    const startLine = example.split('\n').find((l) => l.includes('npm start')) ?? '';
    const slackEnv = Object.fromEntries([...startLine.matchAll(/\b(SLACK_[A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(slackEnv).sort()).toEqual(['SLACK_API_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    serve = await startServeProcess({ ...env, ...slackEnv }, 60_000, 'tsx');
  }, 240_000);
  afterAll(async () => {
    serve?.cli.child.kill('SIGTERM');
    await serve?.cli.exited;
    await rm(dir, { recursive: true, force: true });
  });

  it('serves without a workspace and takes the README body for a demo account', async () => {
    const health = await fetch(`${serve.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, database: 'pglite', slack: 'unverified' });
    const body = /-d '(\[.*\])'/.exec(example)?.[1] ?? '';
    const res = await fetch(`${serve.url}/api/v1/metrics`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    expect(await res.json()).toEqual({ loaded: 1, inserted: expect.any(Number), updated: expect.any(Number), rejected: 0, rescore: { accounts: 1, withinSeconds: 5 } });
    expect(res.status).toBe(200);
  });

  it('answers 400 to malformed JSON and 415 to a body that is not JSON, as documented', async () => {
    const post = (body: string, type: string) => fetch(`${serve.url}/api/v1/metrics`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
    const malformed = await post('[{"account":"DEMO-00001"', 'application/json');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'the body is not valid JSON' });
    expect((await post('account,metric\n', 'text/csv')).status).toBe(415);
  });

  it('a token created while serve holds the embedded database: nothing on stdout, the refusal on stderr, exit 1', async () => {
    const refused = await runSeparated(['token', 'create', 'second'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/The embedded database in .* is in use by process \d+ \(account-health serve\)/);
  }, 60_000);
});
