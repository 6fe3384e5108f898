// Events end to end on both databases: Segment-format calls through the real
// /v1 endpoints of the running server (raw HTTP in each auth form, and
// Segment's own analytics-node client), then a recomputation, then /health
// through the real Bolt app showing exactly the values computed by hand.
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventSource } from '../../src/events/event-sources.js';
import { ensureCatalogueAndModels } from '../../src/models/model-store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { recomputeAt } from '../support/seed.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;
let replies = 0;

describe.each(DATABASE_KINDS)('Segment events end to end (%s)', (kind) => {
  let t: TestServer;
  let writeKey: string;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const eventCount = () => t.db.prisma.event.count();

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => NOW });
    await ensureCatalogueAndModels(t.db.prisma);
    writeKey = (await createEventSource(t.db.prisma, { name: 'web' })).writeKey ?? '';
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts each call type in every Segment auth form and refuses unknown keys', async () => {
    let res = await post('/v1/group', { userId: 'ann', groupId: 'ACME', messageId: 'g-1', timestamp: ago(60), traits: { name: 'Acme Corp', website: 'acme.com', plan: 'enterprise', arr: 90000 } }, { authorization: basic(`${writeKey}:`) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, accepted: 1, duplicates: 0, refused: 0 });
    res = await post('/v1/track', { userId: 'ann', event: 'Signed In', messageId: 'l-1', timestamp: ago(1) }, { authorization: basic(writeKey) });
    expect(res.status).toBe(200);
    res = await post('/v1/identify', { userId: 'ann', writeKey, traits: { email: 'ann@acme.com' }, messageId: 'i-1' });
    expect(res.status).toBe(200);
    res = await post('/v1/page', { userId: 'ann', name: 'Pricing', writeKey, messageId: 'p-1' }, { 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    res = await post('/v1/screen', { userId: 'ann', name: 'Home', writeKey, messageId: 's-1' });
    expect(res.status).toBe(200);
    for (const auth of [basic('whk_not-a-key:'), basic(':'), '']) {
      res = await post('/v1/track', { userId: 'ann', event: 'Signed In', messageId: 'x' }, auth ? { authorization: auth } : {});
      expect(res.status).toBe(401);
    }
    expect(await eventCount()).toBe(5);
    const acme = await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME' } });
    expect(acme).toMatchObject({ name: 'Acme Corp', domain: 'acme.com', segment: 'enterprise', arr: 90000 });
  });

  it('keeps the good messages of a batch, says which were refused and why; a replay changes nothing', async () => {
    const batch = {
      batch: [
        { type: 'track', userId: 'ann', event: 'Order Completed', messageId: 'o-1', timestamp: ago(2), properties: { order_id: 'A1', total: 100 } },
        { type: 'track', userId: 'ann', event: 'Order Completed', messageId: 'o-2', timestamp: ago(3), properties: { order_id: 'A2', total: 60 } },
        { type: 'track', userId: 'ann', messageId: 'bad-1' },
        { type: 'group', userId: 'ann', messageId: 'bad-2' },
        { type: 'track', event: 'Signed In', messageId: 'bad-3' },
        { type: 'track', userId: 'ann', event: 'Signed In', messageId: 'bad-4', timestamp: '20/11/2026' },
        { type: 'track', userId: 'ann', event: 'Signed In', messageId: 'bad-5', timestamp: '2027-01-01T00:00:00Z' },
      ],
    };
    let res = await post('/v1/batch', batch, { authorization: basic(`${writeKey}:`) });
    expect(res.status).toBe(400);
    const body = await res.json() as { accepted: number; refused: number; errors: { index: number; messageId: string; error: string }[] };
    expect(body).toMatchObject({ accepted: 2, refused: 5 });
    expect(body.errors.map((e) => `${e.index} ${e.messageId}: ${e.error}`)).toEqual([
      '2 bad-1: a track call needs "event" (the event name)',
      '3 bad-2: a group call needs "groupId" (the account\'s external_id)',
      '4 bad-3: userId or anonymousId is required',
      '5 bad-4: timestamp "20/11/2026" is not an ISO 8601 date-time',
      '6 bad-5: timestamp 2027-01-01T00:00:00.000Z is more than 24 hours in the future',
    ]);
    const before = await t.db.prisma.event.findMany({ orderBy: { id: 'asc' } });
    res = await post('/v1/batch', { batch: batch.batch.slice(0, 2) }, { authorization: basic(`${writeKey}:`) });
    expect(await res.json()).toEqual({ success: true, accepted: 0, duplicates: 2, refused: 0 });
    expect(await t.db.prisma.event.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('refuses malformed JSON and oversized messages or batches with 400 naming the limit, storing nothing', async () => {
    const before = await eventCount();
    let res = await post('/v1/track', '{"userId": "ann", "event": ', { authorization: basic(writeKey) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'the body is not valid JSON' });
    res = await post('/v1/track', { userId: 'ann', event: 'Signed In', properties: { blob: 'x'.repeat(33 * 1024) } }, { authorization: basic(writeKey) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'the message is larger than the 32 KB limit per message' });
    const big = { batch: Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: 'ann', event: 'Signed In', messageId: `big-${i}`, properties: { blob: 'x'.repeat(30 * 1024) } })) };
    res = await post('/v1/batch', big, { authorization: basic(writeKey) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'the batch is larger than the 500 KB limit per batch: send fewer messages per call' });
    expect(await eventCount()).toBe(before);
  });

  it("stores what Segment's own analytics-node client sends, pointed at this server", async () => {
    const analytics = new Analytics({ writeKey, host: t.server.url, flushAt: 3, flushInterval: 50, maxRetries: 0 });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.track({ userId: 'ann', event: 'Signed In', timestamp: new Date(ago(5)) });
    analytics.track({ userId: 'ann', event: 'Signed In', timestamp: new Date(ago(12)) });
    analytics.track({ userId: 'bob', event: 'Signed In', timestamp: new Date(ago(40)), context: { groupId: 'ACME' } });
    analytics.track({ userId: 'bob', event: 'Ticket Opened', timestamp: new Date(ago(4)), properties: { ticket_id: 'T1', type: 'complaint' }, context: { groupId: 'ACME' } });
    analytics.track({ anonymousId: 'anon-1', event: 'Ticket Opened', timestamp: new Date(ago(3)), properties: { ticket_id: 'T2', account_id: 'ACME' } });
    analytics.track({ userId: 'ann', event: 'Ticket Closed', timestamp: new Date(ago(1)), properties: { ticket_id: 'T2' } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(await t.db.prisma.event.count({ where: { userKey: { in: ['ann', 'bob', 'anon:anon-1'] }, timestamp: { gte: new Date(ago(41)) }, type: 'track' } })).toBe(9);
  });

  it('/health shows the values derived from those events, as computed by hand', async () => {
    await recomputeAt(t.db, NOW);
    replies += 1;
    const id = `ev${replies}`;
    const res = await sendSlashCommand(t.eventsUrl, { text: 'acme corp', user_id: 'U0CSM00001', response_url: t.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === id));
    const text = JSON.stringify(reply.body);
    // logins in 30 days: l-1 (1 day ago), 5 and 12 days ago → 3 (bob's 40-day-old login is out of the window)
    expect(text).toContain('*Logins (30 days)*: 3 logins (from events)');
    // two distinct orders
    expect(text).toContain('*Orders (30 days)*: 2 orders (from events)');
    // T1 open (T2 closed) → 1 open ticket; the default model's good is 1, so it costs nothing and is not listed.
    const observations = await t.db.prisma.$queryRaw<{ metric_key: string; value: number }[]>`
      SELECT l.metric_key, l.value FROM metric_latest l JOIN accounts a ON a.id = l.account_id WHERE a.external_id = 'ACME' ORDER BY 1`;
    expect(Object.fromEntries(observations.map((o) => [o.metric_key, o.value]))).toEqual({
      complaints_90d: 1, logins_30d: 3, open_support_tickets: 1, orders_30d: 2,
    });
    // Nobody sends NPS, CSAT, contacts, invoices, features or sentiment: said once, not counted as missing.
    expect(text).toContain('Not scored: no source for');
    expect(text).toContain('NPS');
  });
});
