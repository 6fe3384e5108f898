// Security protections through the real app: Slack's body limit, the replay
// window's exact edges, API tokens useless when read from the database, and a
// real `serve` process at LOG_LEVEL=debug that never prints a secret.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api-tokens/api-tokens.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createPostgresDatabase } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { seedAccounts, HEALTHY } from '../support/seed.js';
import { postSignedEarlyAnswer, sendSlashCommand, sendUrlVerification, slashCommandBody } from '../support/slack-requests.js';
import { runCliProcess, startServeProcess } from '../support/spawn-cli.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('Slack request limits and replay window (pglite)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['a JSON event', 'application/json', () => JSON.stringify({ type: 'event_callback', event: { type: 'app_mention', text: 'x'.repeat(2 * 1024 * 1024) } })],
    ['a slash command', 'application/x-www-form-urlencoded', () => slashCommandBody({ text: 'y'.repeat(2 * 1024 * 1024), response_url: 'http://127.0.0.1:9/never' })],
  ])('refuses a correctly signed 2 MB body (%s) with 413, doing nothing', async (_name, contentType, body) => {
    const before = t.fake.calls.length;
    const res = await postSignedEarlyAnswer(t.eventsUrl, body(), contentType);
    expect(res.status).toBe(413);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.fake.calls.length).toBe(before);
    expect(t.fake.responses).toHaveLength(0);
  });

  it('still takes a signed body just under Slack\'s 1 MB', async () => {
    const res = await sendSlashCommand(t.eventsUrl, { text: `help ${'z'.repeat(1_000_000)}`, response_url: t.fake.responseUrl('big-but-fine') });
    expect(res.status).toBe(200);
    await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'big-but-fine'));
  });

  it('accepts a request signed 4 min 50 s ago and refuses one signed 5 min 10 s ago (a replay)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = await sendUrlVerification(t.eventsUrl, 'inside-window', { timestamp: now - 290 });
    expect(fresh.status).toBe(200);
    expect(fresh.json()).toEqual({ challenge: 'inside-window' });
    const before = t.fake.responses.length;
    const replay = await sendSlashCommand(t.eventsUrl, { text: 'help', response_url: t.fake.responseUrl('replayed') }, { timestamp: now - 310 });
    expect(replay.status).toBe(401);
    await new Promise((r) => setTimeout(r, 150));
    expect(t.fake.responses.length).toBe(before);
  });
});

describe('API tokens at rest (pglite)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores only a SHA-256 digest and a short display prefix; neither the digest nor a near miss authenticates', async () => {
    const { token } = await createApiToken(t.db.prisma, 'at-rest');
    const row = await t.db.prisma.apiToken.findFirstOrThrow({ where: { name: 'at-rest' } });
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    // Nothing stored holds more of the token than the 10-character prefix shown in `token list`.
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(4, 20));
    expect(row.prefix).toBe(token.slice(0, 10));

    const call = (bearer: string) => fetch(`${t.server.url}/api/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: '[]' });
    expect((await call(token)).status).toBe(200);
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    for (const forged of [row.tokenHash, `ahk_${row.tokenHash}`, `${token.slice(0, -1)}${lastChar}`, `${token} `.trim().toUpperCase(), row.prefix]) {
      expect((await call(forged)).status).toBe(401);
    }
  });
});

describe('a serve process at LOG_LEVEL=debug never prints a secret', () => {
  const secret = (prefix: string) => `${prefix}${randomBytes(18).toString('hex')}`;
  const BOT_TOKEN = secret('xoxb-9876-');
  const APP_TOKEN = secret('xapp-1-A0SEC-');
  const SIGNING_SECRET = secret('');
  const DB_PASSWORD = secret('pw');
  let fake: FakeSlack;
  let db: Database;
  let url: string;
  let apiToken: string;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    const plain = await createPostgresDatabase();
    db = await openDatabase({ kind: 'postgres', url: plain }, { command: 'test', logger: createLogger({ level: 'error' }) });
    await seedAccounts(db, new Date(), [{ externalId: 'SEC-1', name: 'Secure Corp', metrics: HEALTHY }]);
    apiToken = (await createApiToken(db.prisma, 'secrets-test')).token;
    // The local server trusts 127.0.0.1, so the password is never checked, but it is in the URL the app holds.
    const withPassword = new URL(plain);
    withPassword.password = DB_PASSWORD;
    url = withPassword.toString();
  });
  afterAll(async () => {
    await fake.stop();
    await db.close();
  });

  const secrets = () => ({ BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, DB_PASSWORD, apiToken });
  const leaks = (output: string) => Object.entries(secrets()).filter(([, value]) => output.includes(value)).map(([name]) => name);

  it('through /health, signed and forged Slack requests, and API calls with good and bad tokens (HTTP mode)', async () => {
    const serve = await startServeProcess({
      DATABASE_URL: url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      RECOMPUTE_CRON: '0 3 * * *',
      LOG_LEVEL: 'debug',
    });
    const events = `${serve.url}/slack/events`;
    const sign = { secret: SIGNING_SECRET };
    expect((await sendUrlVerification(events, 'c1', sign)).status).toBe(200);
    expect((await sendSlashCommand(events, { text: 'Secure Corp', response_url: fake.responseUrl('h1') }, sign)).status).toBe(200);
    // Someone pastes a token into the command: it is logged masked, like everything else.
    expect((await sendSlashCommand(events, { text: `${BOT_TOKEN} ${apiToken}`, response_url: fake.responseUrl('h2') }, sign)).status).toBe(200);
    expect((await sendSlashCommand(events, { text: 'help', response_url: fake.responseUrl('h3') }, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await sendSlashCommand(events, { text: 'help', response_url: fake.responseUrl('h4') }, { ...sign, timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    await fake.waitFor(() => fake.responses.filter((r) => r.id === 'h1' || r.id === 'h2').length === 2, 10_000);

    const api = (bearer: string, body: unknown) =>
      fetch(`${serve.url}/api/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
    expect((await api(apiToken, [{ account: 'SEC-1', metric: 'nps', value: 40, observed_at: '2026-11-01' }])).status).toBe(200);
    expect((await api(apiToken, [{ account: 'SEC-1', metric: 'nps', value: 'forty', observed_at: '2026-11-01' }])).status).toBe(400);
    expect((await api(`${apiToken.slice(0, -2)}zz`, [])).status).toBe(401);
    expect((await api(BOT_TOKEN, [])).status).toBe(401);
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);

    serve.cli.child.kill('SIGTERM');
    expect(await serve.cli.exited).toBe(0);
    const output = serve.cli.output();
    // Debug logging was really on, and Slack's client logged its calls.
    expect(output).toMatch(/"level":"debug".*apiCall\('auth\.test'\)/);
    expect(output).toContain('"msg":"ingested"');
    expect(leaks(output)).toEqual([]);
  }, 60_000);

  it('when Socket Mode is refused (apps.connections.open: invalid_auth), with one line naming the variable', async () => {
    fake.script('apps.connections.open', { status: 200, body: { ok: false, error: 'invalid_auth' } });
    const { code, output } = await runCliProcess(['serve'], {
      DATABASE_URL: url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'debug',
    });
    expect(code).toBe(1);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    expect(output).toContain('"level":"debug"');
    expect(output.trim().split('\n').at(-1)).toBe(
      'Configuration error: SLACK_APP_TOKEN was rejected by Slack (An API error occurred: invalid_auth); it must be an app-level token with the connections:write scope',
    );
    expect(leaks(output)).toEqual([]);
  }, 60_000);
});
