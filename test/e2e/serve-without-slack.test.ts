// `serve` as a process when Slack is out of reach: it starts anyway with one
// warning, the ingestion API and /healthz work, and once "Slack" comes up on
// its URL the background check verifies the token. Only Slack's own answer
// that the token is invalid stops start-up.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.js';
import { TEST_SIGNING_SECRET } from '../support/slack-requests.js';
import { runCliProcess, startServeProcess } from '../support/spawn-cli.js';

async function freePort(): Promise<number> {
  const probe = await new FakeSlack().start();
  const port = Number(new URL(probe.url).port);
  await probe.stop();
  return port;
}

async function healthz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('serve when Slack is unreachable (real process)', () => {
  let dir: string;
  let fake: FakeSlack | null = null;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-noslack-'));
  });
  afterAll(async () => {
    await fake?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts, serves the API and /healthz ("slack": "unverified"), and verifies in the background once Slack answers', async () => {
    const env = { DATA_DIR: path.join(dir, 'data'), RECOMPUTE_CRON: '0 3 * * *' };
    const token = await runCliProcess(['token', 'create', 'offline-sync'], env);
    expect(token.code).toBe(0);
    const bearer = /ahk_\S+/.exec(token.output)?.[0] ?? '';
    const port = await freePort();
    const serve = await startServeProcess({
      ...env, SLACK_BOT_TOKEN: 'xoxb-offline', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
    });
    try {
      // One warning, not one from the Web API client and another from us.
      expect(serve.cli.output().split('\n').filter((l) => l.includes('"level":"warn"'))).toEqual([expect.stringContaining('Slack is unreachable')]);
      expect(await healthz(serve.url)).toEqual({ status: 200, body: { ok: true, database: 'pglite', slack: 'unverified' } });
      const api = await fetch(`${serve.url}/api/v1/accounts`, {
        method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ external_id: 'OFF-1', name: 'Offline Ltd' }]),
      });
      expect(api.status).toBe(200);

      fake = await new FakeSlack().start(port);
      const deadline = Date.now() + 90_000; // retries back off 2, 4, 8, 16, 32 s: the fifth lands within ~62 s
      let state = 'unverified';
      while (state !== 'verified' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        state = String((await healthz(serve.url)).body.slack);
      }
      expect(state).toBe('verified');
      expect(fake.callsTo('auth.test').length).toBeGreaterThanOrEqual(1);
    } finally {
      serve.cli.child.kill('SIGTERM');
    }
    expect({ code: await serve.cli.exited, output: serve.cli.output() }).toEqual({ code: 0, output: expect.stringContaining('shutting down') });
  }, 180_000);

  it('refuses to start when Slack answers that the token is invalid, naming the variable', async () => {
    fake ??= await new FakeSlack().start();
    fake.script('auth.test', { status: 200, body: { ok: false, error: 'invalid_auth' } });
    const { code, output } = await runCliProcess(['serve'], {
      DATA_DIR: path.join(dir, 'data'), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl,
    });
    expect(code).toBe(1);
    expect(output.trim().split('\n').at(-1)).toBe('Configuration error: SLACK_BOT_TOKEN was rejected by Slack (An API error occurred: invalid_auth)');
    expect(output).not.toContain('xoxb-revoked');
  }, 60_000);
});
