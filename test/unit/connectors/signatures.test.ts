import { describe, expect, it } from 'vitest';
import { connectorFor, CONNECTORS } from '../../../src/connectors/connectors.js';
import { checkFreshness, safeEqual } from '../../../src/connectors/signatures.js';

describe('signature helpers', () => {
  it('compares whole strings of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
  it('allows 300 s of clock difference each way', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect(checkFreshness(new Date('2026-11-20T11:55:00Z'), now, 'T')).toEqual({ ok: true });
    expect(checkFreshness(new Date('2026-11-20T12:05:00Z'), now, 'T')).toEqual({ ok: true });
    expect(checkFreshness(new Date('2026-11-20T11:54:59Z'), now, 'T')).toMatchObject({ ok: false, failure: 'stale' });
  });
  it('finds each connector by the KIND of its URL, and nothing else', () => {
    expect(Object.keys(CONNECTORS).sort()).toEqual(['segment', 'shopify', 'stripe', 'zendesk']);
    expect(connectorFor('stripe')?.signatureHeader).toBe('Stripe-Signature');
    expect(connectorFor('toString')).toBeUndefined();
    expect(connectorFor('hubspot')).toBeUndefined();
  });
});
