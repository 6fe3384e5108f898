// The real entry point in child processes: migrate on an empty machine, serve
// with the embedded database, a second process refused while serve owns
// ./data, configuration errors as one line, and a graceful SIGTERM.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.js';
import { runCliProcess, spawnCli } from '../support/spawn-cli.js';
import { TEST_SIGNING_SECRET } from '../support/slack-requests.js';

describe('account-health as a process', () => {
  let dataDir: string;
  let fake: FakeSlack;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'account-health-cli-'));
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops on a malformed variable with one line naming it', async () => {
    const { code, output } = await runCliProcess(['migrate'], { DATA_DIR: dataDir, DATABASE_URL: 'mysql://nope' });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'Configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)',
    ]);
  });

  it('refuses to serve without Slack credentials, naming the variable', async () => {
    const { code, output } = await runCliProcess(['serve'], { DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toContain('Configuration error: SLACK_BOT_TOKEN is required');
  });

  it('migrates an empty embedded database, then applies nothing on a re-run', async () => {
    const first = await runCliProcess(['migrate'], { DATA_DIR: dataDir });
    expect(first.output).toMatch(/Applied \d+ migration\(s\)/);
    expect(first.code).toBe(0);
    const second = await runCliProcess(['migrate'], { DATA_DIR: dataDir });
    expect(second.output).toMatch(/Database is up to date/);
    expect(second.code).toBe(0);
  }, 60_000);

  it('serves on the embedded database, refuses a second process on ./data, and stops cleanly on SIGTERM', async () => {
    const serve = spawnCli(['serve'], {
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      RECOMPUTE_CRON: '0 3 * * *',
    });
    const line = await serve.waitForOutput(/"port":\d+/, 40_000);
    const port = Number(line.split(':')[1]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const second = await runCliProcess(['migrate'], { DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/The embedded database in .* is in use by process \d+ \(account-health serve\)/);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    await expect(stat(path.join(dataDir, 'account-health.lock'))).rejects.toThrow();
    expect(serve.output()).toContain('shutting down');
  }, 90_000);
});
