// The foundation's end-to-end path: signed requests reach the real Bolt app;
// forged or stale ones are refused with 401 and change nothing. The refusals
// are proven with a command that writes (`/health sentiment …` stores an
// observation and answers at response_url): a refused one must do neither,
// while the same command correctly signed does both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { HEALTHY, seedAccounts } from '../support/seed.js';
import { sendSlashCommand, sendUrlVerification, signBody, slashCommandBody, TEST_SIGNING_SECRET, type SignOptions } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DATABASE_KINDS)('signed Slack requests (%s)', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    await seedAccounts(t.db, new Date(), [{ externalId: 'ACME-1', name: 'Acme Corp', domain: 'acme.com', metrics: HEALTHY }]);
  });

  const sentiments = () => t.db.prisma.metricObservation.count({ where: { metricKey: 'csm_sentiment' } });
  let sent = 0;
  /** Sends `/health sentiment acme corp …`; returns the status and whether anything happened. */
  async function sendSentiment(text: string, options?: SignOptions) {
    sent += 1;
    const id = `sentiment-${sent}`;
    const before = { stored: await sentiments(), calls: t.fake.calls.length, responses: t.fake.responses.length };
    const res = await sendSlashCommand(t.eventsUrl, { text, response_url: t.fake.responseUrl(id) }, options);
    // Long enough for an accepted command to have written and answered.
    await new Promise((r) => setTimeout(r, 700));
    return {
      status: res.status,
      stored: (await sentiments()) - before.stored,
      slackCalls: t.fake.calls.length - before.calls,
      responses: t.fake.responses.length - before.responses,
      answered: t.fake.responses.some((r) => r.id === id),
    };
  }
  const nothingHappened = { status: 401, stored: 0, slackCalls: 0, responses: 0, answered: false };

  it('refuses a forged /health sentiment (another secret, or a signature over another text) without a write or a Slack call', async () => {
    expect(await sendSentiment('sentiment acme corp 1 forged by an attacker', { secret: 'not-the-secret-at-all' })).toEqual(nothingHappened);
    const now = Math.floor(Date.now() / 1000);
    const signedOther = signBody(slashCommandBody({ text: 'sentiment acme corp 5 all good', response_url: t.fake.responseUrl('sentiment-x') }), TEST_SIGNING_SECRET, now);
    expect(await sendSentiment('sentiment acme corp 1 tampered text', { timestamp: now, signature: signedOther })).toEqual(nothingHappened);
    expect(await sendSentiment('sentiment acme corp 1 no signature at all', { signature: 'v0=' + '0'.repeat(64) })).toEqual(nothingHappened);
  });

  it('refuses a correctly signed but stale /health sentiment (older than 5 minutes) without a write or a Slack call', async () => {
    expect(await sendSentiment('sentiment acme corp 1 replayed from yesterday', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).toEqual(nothingHappened);
  });

  it('records the same /health sentiment when it is signed correctly and fresh', async () => {
    const accepted = await sendSentiment('sentiment acme corp 2 budget freeze announced');
    expect(accepted).toMatchObject({ status: 200, stored: 1, answered: true });
    expect(await sentiments()).toBe(1);
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

  it('reports a live database on /healthz', async () => {
    const res = await fetch(`${t.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: kind, slack: 'verified' });
  });
});
