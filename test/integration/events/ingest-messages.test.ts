// The one intake: exactly-once storage per (source, messageId) decided by the
// INSERT itself, per-message refusals, and attribution of events to accounts
// (group calls create accounts; waiting events attributed when the group arrives).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { createEventSource, listEventSources, revokeEventSource, SourceError, verifyWriteKey } from '../../../src/events/event-sources.js';
import { ingestSegmentMessages } from '../../../src/events/ingest-messages.js';
import { sourceActivity } from '../../../src/events/source-activity.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(DATABASE_KINDS)('event intake (%s)', (kind) => {
  let db: Database;
  let sourceId: number;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    sourceId = (await createEventSource(db.prisma, { name: 'web' })).id;
  });
  afterAll(async () => {
    await db.close();
  });
  const ingest = (messages: unknown[], at = NOW) => ingestSegmentMessages({ prisma: db.prisma }, { id: sourceId }, messages, at);
  const eventsOf = (userKey: string) => db.prisma.event.findMany({ where: { userKey }, orderBy: { id: 'asc' } });

  it('stores a message once per messageId: a replayed batch changes nothing', async () => {
    const batch = [
      { type: 'track', event: 'Signed In', userId: 'u1', messageId: 'm1', timestamp: '2026-11-19T10:00:00Z' },
      { type: 'track', event: 'Signed In', userId: 'u1', messageId: 'm2', timestamp: '2026-11-19T11:00:00Z' },
      { type: 'track', event: 'Signed In', userId: 'u1', messageId: 'm2', timestamp: '2026-11-19T11:00:00Z' },
    ];
    const first = await ingest(batch);
    expect(first).toMatchObject({ accepted: 2, duplicates: 1, refused: 0 });
    const before = await eventsOf('u1');
    const replay = await ingest(batch);
    expect(replay).toMatchObject({ accepted: 0, duplicates: 3, refused: 0 });
    expect(await eventsOf('u1')).toEqual(before);
  });

  it('keeps the good messages of a batch and says why each other one was refused', async () => {
    const result = await ingest([
      { type: 'track', userId: 'u2', messageId: 'r1' },
      { type: 'group', userId: 'u2', messageId: 'r2' },
      { type: 'track', event: 'Signed In', messageId: 'r3' },
      { type: 'track', event: 'Signed In', userId: 'u2', messageId: 'r4', timestamp: 'yesterday' },
      { type: 'track', event: 'Signed In', userId: 'u2', messageId: 'r5', timestamp: '2026-11-23T12:00:00Z' },
      { type: 'track', event: 'Signed In', userId: 'u2', messageId: 'r6', properties: { blob: 'x'.repeat(33_000) } },
      { type: 'launch', userId: 'u2', messageId: 'r7' },
      'not an object',
      { type: 'track', event: 'Signed In', userId: 'u2', messageId: 'ok' },
    ]);
    expect(result).toMatchObject({ accepted: 1, refused: 8 });
    expect(result.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual([
      'a track call needs "event" (the event name)',
      'a group call needs "groupId" (the account\'s external_id)',
      'userId or anonymousId is required',
      'timestamp "yesterday" is not an ISO 8601 date-time',
      'timestamp 2026-11-23T12:00:00.000Z is more than 24 hours in the future',
      'the message is larger than the 32 KB limit per message',
      'unknown type "launch" (expected track, identify, group, page, screen or alias)',
      'a message must be a JSON object',
      'accepted',
    ]);
    expect((await eventsOf('u2')).map((e) => e.messageId)).toEqual(['ok']);
  });

  it('keeps unattributed events and attributes them when the group call arrives; group traits make the account', async () => {
    await ingest([
      { type: 'track', event: 'Order Completed', userId: 'buyer', messageId: 'o1', timestamp: '2026-11-18T09:00:00Z', properties: { order_id: 'A1', total: 120 } },
      { type: 'track', event: 'Signed In', anonymousId: 'anon-7', messageId: 'o2', timestamp: '2026-11-18T09:05:00Z' },
    ]);
    let listed = (await listEventSources(db.prisma)).find((s) => s.id === sourceId);
    expect(listed?.waiting).toBeGreaterThanOrEqual(2);
    const result = await ingest([
      { type: 'group', userId: 'buyer', groupId: 'ACME', messageId: 'g1', timestamp: '2026-11-18T08:00:00Z', traits: { name: 'Acme Corp', website: 'https://www.Acme.com/about', plan: 'enterprise', arr: 120000, renewal_date: '2027-03-31' } },
      { type: 'group', anonymousId: 'anon-7', groupId: 'ACME', messageId: 'g2', timestamp: '2026-11-18T08:00:00Z' },
      { type: 'track', event: 'Signed In', userId: 'other', messageId: 'o3', context: { groupId: 'ACME' } },
      { type: 'track', event: 'Signed In', userId: 'other2', messageId: 'o4', properties: { account_id: 'GLOBEX' } },
    ]);
    expect(result).toMatchObject({ accepted: 4, refused: 0 });
    const acme = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME' } });
    expect(acme).toMatchObject({ name: 'Acme Corp', domain: 'acme.com', segment: 'enterprise', arr: 120000, renewalDate: new Date('2027-03-31T00:00:00Z') });
    for (const key of ['buyer', 'anon:anon-7', 'other']) expect((await eventsOf(key)).every((e) => e.accountId === acme.id)).toBe(true);
    // GLOBEX does not exist yet: the event waits for its group call, however its user is linked.
    expect((await eventsOf('other2'))[0]?.accountId).toBeNull();
    await ingest([{ type: 'group', userId: 'someone', groupId: 'GLOBEX', messageId: 'g3', traits: { name: 'Globex' } }]);
    const globex = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'GLOBEX' } });
    expect((await eventsOf('other2'))[0]?.accountId).toBe(globex.id);
    // A later group call without a name keeps the account's name and other fields.
    await ingest([{ type: 'group', userId: 'buyer', groupId: 'ACME', messageId: 'g4', traits: { plan: 'smb' } }]);
    expect(await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME' } })).toMatchObject({ name: 'Acme Corp', segment: 'smb', arr: 120000 });
    listed = (await listEventSources(db.prisma)).find((s) => s.id === sourceId);
    expect(listed?.waiting).toBe(await db.prisma.event.count({ where: { accountId: null } }));
  });

  it('uses timestamp, else originalTimestamp corrected by sentAt, else the receipt time', async () => {
    await ingest([
      { type: 'track', event: 'T', userId: 'clock', messageId: 't1', timestamp: '2026-11-19T10:00:00+02:00' },
      { type: 'track', event: 'T', userId: 'clock', messageId: 't2', originalTimestamp: '2026-11-20T11:00:00Z', sentAt: '2026-11-20T11:30:00Z' },
      { type: 'track', event: 'T', userId: 'clock', messageId: 't3' },
    ]);
    expect((await eventsOf('clock')).map((e) => e.timestamp.toISOString())).toEqual(['2026-11-19T08:00:00.000Z', '2026-11-20T11:30:00.000Z', NOW.toISOString()]);
  });

  it('books a batch without group calls in the statement that stores it: account marked changed, the source counted once', async () => {
    await ingest([{ type: 'group', userId: 'booker', groupId: 'BOOK', messageId: 'b0', timestamp: '2026-11-18T08:00:00Z' }]);
    const book = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'BOOK' } });
    await db.prisma.$executeRaw`DELETE FROM event_accounts WHERE account_id = ${book.id}`;
    const later = new Date(NOW.getTime() + 60_000);
    const before = (await sourceActivity(db.prisma, later)).get(sourceId);
    const batch = [
      { type: 'track', event: 'Signed In', userId: 'booker', messageId: 'b1' },
      { type: 'track', event: 'Signed In', userId: 'booker', messageId: 'b2' },
      { type: 'track', event: 'Signed In', userId: 'nobody-yet', messageId: 'b3' },
    ];
    expect(await ingest(batch, later)).toMatchObject({ accepted: 3, waiting: 1 });
    expect((await eventsOf('booker')).map((e) => e.accountId)).toEqual([book.id, book.id, book.id]);
    const marked = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM event_accounts WHERE account_id = ${book.id}`;
    expect(marked[0]?.n).toBe(1);
    const after = (await sourceActivity(db.prisma, later)).get(sourceId);
    expect(after?.accepted).toBe((before?.accepted ?? 0) + 3);
    expect(after?.lastMessageAt?.toISOString()).toBe(later.toISOString());
    // A replay stores and counts nothing more.
    expect(await ingest(batch, later)).toMatchObject({ accepted: 0, duplicates: 3 });
    expect((await sourceActivity(db.prisma, later)).get(sourceId)?.accepted).toBe(after?.accepted);
  });

  it('stores and counts nothing of a batch the database refuses', async () => {
    const before = (await sourceActivity(db.prisma, NOW)).get(sourceId);
    // A fault injected in the database: the second message's row is refused, so the one statement fails.
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_h2() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.message_id = 'h2' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
    await db.prisma.$executeRawUnsafe('CREATE TRIGGER refuse_h2 BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_h2()');
    try {
      await expect(ingest([
        { type: 'track', event: 'Signed In', userId: 'half', messageId: 'h1' },
        { type: 'track', event: 'Signed In', userId: 'half', messageId: 'h2' },
      ])).rejects.toThrow(/refused for the test/);
    } finally {
      await db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_h2 ON events');
      await db.prisma.$executeRawUnsafe('DROP FUNCTION refuse_h2()');
    }
    expect(await eventsOf('half')).toEqual([]);
    expect((await sourceActivity(db.prisma, NOW)).get(sourceId)?.accepted).toBe(before?.accepted);
  });

  it('refuses a message holding a NUL character by itself, naming where, and stores the rest of its batch', async () => {
    // JSON allows U+0000 in a string or key; PostgreSQL's text and jsonb do not.
    const summary = await ingest([
      { type: 'track', event: 'Signed In', userId: 'nul', messageId: 'n1' },
      { type: 'track', event: 'Signed In', userId: 'nul', messageId: 'n2', properties: { note: 'a\u0000b' } },
      { type: 'track', event: 'Signed In', userId: 'nul', messageId: 'n3', context: { ['k\u0000']: 1 } },
      { type: 'track', event: 'Signed In', userId: 'nul', messageId: 'n4', properties: { note: 'a literal \\u0000 is text, not a NUL' } },
    ]);
    expect(summary).toMatchObject({ accepted: 2 });
    expect(summary.results.filter((r) => r.status === 'refused')).toEqual([
      { index: 1, status: 'refused', messageId: 'n2', reason: 'properties.note: contains a NUL character (\\u0000), which cannot be stored; remove it and send the message again' },
      { index: 2, status: 'refused', messageId: 'n3', reason: 'context.k\u0000: contains a NUL character (\\u0000), which cannot be stored; remove it and send the message again' },
    ]);
    expect((await eventsOf('nul')).length).toBe(2);
  });

  it('write keys: verified by hash, refused once revoked; names unique among active sources; kinds checked', async () => {
    const created = await createEventSource(db.prisma, { name: 'server' });
    expect(created.writeKey).toMatch(/^whk_/);
    const stored = await db.prisma.eventSource.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.writeKeyHash).not.toContain(created.writeKey ?? '-');
    expect(await verifyWriteKey(db.prisma, created.writeKey ?? '', NOW)).toMatchObject({ name: 'server' });
    await expect(createEventSource(db.prisma, { name: 'SERVER' })).rejects.toThrow(SourceError);
    await expect(createEventSource(db.prisma, { name: 'shop', kind: 'magento', secret: 'abcdefgh' })).rejects.toThrow(/unknown kind "magento"/);
    await expect(createEventSource(db.prisma, { name: 'shop', kind: 'shopify' })).rejects.toThrow(/needs --secret/);
    const shop = await createEventSource(db.prisma, { name: 'shop', kind: 'shopify', secret: 'shpss_secret123' });
    expect(shop.writeKey).toBeNull();
    expect((await db.prisma.eventSource.findUniqueOrThrow({ where: { id: shop.id } })).signingSecret).toBe('shpss_secret123');
    await revokeEventSource(db.prisma, 'server', NOW);
    expect(await verifyWriteKey(db.prisma, created.writeKey ?? '', NOW)).toBeNull();
  });
});
