import { describe, expect, it } from 'vitest';
import { accountTraits, hostOf } from '../../../src/events/group-traits.js';
import { readLines } from '../../../src/events/import-events.js';
import { parseIsoTimestamp } from '../../../src/events/iso-time.js';
import { messageSchema, normaliseMessage, readCommonShape } from '../../../src/events/segment-message.js';
import { writeKeyOf } from '../../../src/http/segment-routes.js';

const receivedAt = new Date('2026-11-20T12:00:00Z');
const ok = (input: unknown, options = {}) => {
  const outcome = normaliseMessage(input, { receivedAt, ...options });
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.event;
};
const reason = (input: unknown, options = {}) => {
  const outcome = normaliseMessage(input, { receivedAt, ...options });
  return outcome.ok ? 'accepted' : outcome.reason;
};

describe('Segment messages', () => {
  it('reads the account hint from context.groupId, else properties.account_id; a group call names it in groupId', () => {
    expect(ok({ type: 'track', event: 'X', userId: 'u', context: { groupId: 'G1' }, properties: { account_id: 'G2' } }).groupId).toBe('G1');
    expect(ok({ type: 'track', event: 'X', userId: 'u', properties: { account_id: 42 } }).groupId).toBe('42');
    expect(ok({ type: 'group', groupId: 7, anonymousId: 'a' })).toMatchObject({ groupId: '7', userKey: 'anon:a', account: {} });
    expect(ok({ event: 'X', userId: 99 }, { impliedType: 'track' })).toMatchObject({ type: 'track', userId: '99', userKey: '99' });
  });

  it('applies Segment timestamp rules: timestamp, else originalTimestamp corrected by sentAt (message or batch), else receipt', () => {
    expect(ok({ type: 'track', event: 'X', userId: 'u', timestamp: '2026-11-19T10:00:00.123+01:00', originalTimestamp: '2020-01-01T00:00:00Z' }).timestamp.toISOString()).toBe('2026-11-19T09:00:00.123Z');
    // The sender's clock is 10 minutes behind: sentAt says 11:50 at 12:00 receipt.
    expect(ok({ type: 'track', event: 'X', userId: 'u', originalTimestamp: '2026-11-20T11:40:00Z' }, { batchSentAt: '2026-11-20T11:50:00Z' }).timestamp.toISOString()).toBe('2026-11-20T11:50:00.000Z');
    expect(ok({ type: 'track', event: 'X', userId: 'u', originalTimestamp: '2026-11-20T11:40:00Z' }).timestamp.toISOString()).toBe('2026-11-20T11:40:00.000Z');
    expect(ok({ type: 'track', event: 'X', userId: 'u' }).timestamp).toEqual(receivedAt);
    // 24 hours ahead is the limit.
    expect(reason({ type: 'track', event: 'X', userId: 'u', timestamp: '2026-11-21T12:00:00Z' })).toBe('accepted');
    expect(reason({ type: 'track', event: 'X', userId: 'u', timestamp: '2026-11-21T12:00:01Z' })).toBe('timestamp 2026-11-21T12:00:01.000Z is more than 24 hours in the future');
    expect(reason({ type: 'track', event: 'X', userId: 'u', sentAt: 'now' })).toBe('sentAt "now" is not an ISO 8601 date-time');
  });

  it('refuses per message with the reason', () => {
    expect(reason({ type: 'track', userId: 'u', event: '  ' })).toBe('a track call needs "event" (the event name)');
    expect(reason({ type: 'identify', userId: '', anonymousId: null })).toBe('userId or anonymousId is required');
    expect(reason({ type: 'alias', userId: 'u' })).toBe('an alias call needs "previousId"');
    expect(reason({ type: 'track', event: 'X', userId: 'u', properties: 'nope' })).toMatch(/^properties: /);
    expect(reason({ type: 'group', userId: 'u', groupId: 'G', traits: { arr: 'lots' } })).toBe('traits.arr must be a number of 0 or more');
    expect(reason({ type: 'group', userId: 'u', groupId: 'G', traits: { renewal_date: 'next spring' } })).toBe('traits.renewal_date must be an ISO 8601 date such as 2027-03-31');
    expect(reason({ type: 'identify', userId: 'u' }, { impliedType: 'track' })).toBe('type "identify" sent to the track endpoint');
    expect(reason([1, 2])).toBe('a message must be a JSON object');
  });

  it('reads the common shape without zod exactly as the schema does, and leaves every other shape to the schema', () => {
    const common: Record<string, unknown>[] = [
      { type: 'track', userId: 'u1', event: 'Signed In', messageId: 'm1', timestamp: '2026-11-19T10:00:00Z', properties: { total: 5, nested: { a: [1] } }, context: { library: { name: 'x' } }, integrations: { All: true } },
      { type: 'identify', userId: 42, anonymousId: ' a-1 ', messageId: 7.5, traits: { name: 'Jane' }, context: null, properties: null },
      { type: 'group', groupId: '  G  ', previousId: null, anonymousId: 'a', sentAt: '2026-11-19T10:00:00Z', originalTimestamp: null, traits: Object.create(null) as object },
      { event: 'X', userId: 'u', name: null },
    ];
    for (const input of common) {
      const schemaSays = messageSchema.parse(input);
      const known = Object.fromEntries(Object.keys(messageSchema.shape).filter((k) => k in input).map((k) => [k, schemaSays[k]]));
      expect(readCommonShape(input)).toEqual(known);
    }
    const others: Record<string, unknown>[] = [
      { type: null, userId: 'u' }, { type: 5 }, { messageId: null, userId: 'u' }, { messageId: Infinity }, { userId: true }, { groupId: {} },
      { event: 3 }, { timestamp: 1_700_000_000 }, { properties: [] }, { traits: 'x' }, { context: new Date(0) },
    ];
    for (const input of others) {
      expect(readCommonShape(input)).toBeNull();
      expect(messageSchema.safeParse(input).success).toBe(false);
    }
    expect(reason({ type: 'track', event: 'X', userId: 'u', properties: [1] })).toMatch(/^properties: /);
    expect(reason({ type: 'track', event: 'X', userId: 'u', messageId: null })).toMatch(/^messageId: /);
  });

  it('stands a content hash in for a missing messageId, so an identical retry is the same message', () => {
    const a = ok({ type: 'track', event: 'X', userId: 'u', timestamp: '2026-11-20T10:00:00Z' });
    const b = ok({ type: 'track', event: 'X', userId: 'u', timestamp: '2026-11-20T10:00:00Z' });
    const c = ok({ type: 'track', event: 'X', userId: 'u', timestamp: '2026-11-20T10:00:01Z' });
    expect(a.messageId).toMatch(/^sha256:/);
    expect(a.messageId).toBe(b.messageId);
    expect(a.messageId).not.toBe(c.messageId);
  });

  it('parses ISO 8601 with or without offsets and refuses anything else', () => {
    expect(parseIsoTimestamp('2026-11-20')?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseIsoTimestamp('2026-11-20T10:00')?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(parseIsoTimestamp('2026-11-20T10:00:00-0530')?.toISOString()).toBe('2026-11-20T15:30:00.000Z');
    expect(parseIsoTimestamp('2026-11-20T10:00:00.5Z')?.toISOString()).toBe('2026-11-20T10:00:00.500Z');
    expect(parseIsoTimestamp('2026-11-20 10:00:00.123z')?.toISOString()).toBe('2026-11-20T10:00:00.123Z');
    for (const bad of ['20/11/2026', '2026-11-20T25:00:00Z', 'yesterday', '1700000000', '']) expect(parseIsoTimestamp(bad)).toBeNull();
  });

  it('turns group traits into account fields, sending only what is there', () => {
    expect(accountTraits({ name: ' Acme ', website: 'https://www.Acme.com/x?y', plan: 'enterprise', arr: '1200.50', renewal_date: '2027-03-31T10:00:00Z', employees: 40 })).toEqual({
      ok: true, traits: { name: 'Acme', domain: 'acme.com', segment: 'enterprise', arr: 1200.5, renewalDate: new Date('2027-03-31T00:00:00Z') },
    });
    expect(accountTraits({ plan: 'smb' })).toEqual({ ok: true, traits: { segment: 'smb' } });
    expect(accountTraits({ arr: null, domain: '' })).toEqual({ ok: true, traits: { arr: null, domain: null } });
    expect(hostOf('acme.io:8443')).toBe('acme.io');
  });

  it('finds the write key as Segment clients send it', () => {
    const b64 = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(writeKeyOf(b64('key1:'), {})).toBe('key1');
    expect(writeKeyOf(b64('key2'), {})).toBe('key2');
    expect(writeKeyOf(undefined, { writeKey: 'key3' })).toBe('key3');
    expect(writeKeyOf(b64(':'), { writeKey: 'key4' })).toBe('key4');
    expect(writeKeyOf('Bearer x', {})).toBeNull();
  });

  it('splits NDJSON into lines without holding an oversized line', async () => {
    async function* chunks() {
      yield Buffer.from('{"a":1}\r\n{"b"');
      yield Buffer.from(':2}\n');
      yield Buffer.from('x'.repeat(50));
      yield Buffer.from('x'.repeat(50));
      yield Buffer.from('\nlast');
    }
    const lines = [];
    for await (const line of readLines(chunks(), 64)) lines.push(line);
    expect(lines).toEqual([{ line: 1, text: '{"a":1}' }, { line: 2, text: '{"b":2}' }, { line: 3, tooLong: true }, { line: 4, text: 'last' }]);
  });
});
