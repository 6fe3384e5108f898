// The foundation's end-to-end path: signed requests reach the real Bolt app;
// forged or stale ones are refused with 401 and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { sendSlashCommand, sendUrlVerification, signBody } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DATABASE_KINDS)('signed Slack requests (%s)', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers url_verification with the challenge when signed correctly', async () => {
    const res = await sendUrlVerification(t.eventsUrl, 'challenge-abc');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ challenge: 'challenge-abc' });
  });

  it('refuses a forged signature with 401', async () => {
    const res = await sendUrlVerification(t.eventsUrl, 'x', { signature: signBody('other body', 'test-signing-secret-0123456789', Math.floor(Date.now() / 1000)) });
    expect(res.status).toBe(401);
  });

  it('refuses a body signed with another secret with 401', async () => {
    const res = await sendUrlVerification(t.eventsUrl, 'x', { secret: 'not-the-secret-at-all' });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed but stale request (older than 5 minutes) with 401', async () => {
    const before = t.fake.calls.length;
    const res = await sendSlashCommand(
      t.eventsUrl,
      { text: 'help', response_url: t.fake.responseUrl('stale') },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.fake.responses).toHaveLength(0);
    expect(t.fake.calls.length).toBe(before);
  });

  it('reports a live database on /healthz', async () => {
    const res = await fetch(`${t.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: kind });
  });
});
