import { describe, expect, it } from 'vitest';
import { describeSourceStatus } from '../../../src/events/source-status.js';

describe('describeSourceStatus', () => {
  it('says a source has had no traffic yet', () => {
    expect(describeSourceStatus(undefined)).toBe('no message yet · last 24 h: 0 accepted, 0 refused, 0 waiting for an account');
  });

  it('gives the last message, the 24-hour counts and the last error with its time', () => {
    expect(
      describeSourceStatus({
        lastMessageAt: new Date('2026-11-20T15:20:06.000Z'),
        accepted: 12,
        refused: 2,
        waiting: 3,
        lastError: 'the Stripe-Signature signature does not match this body and the source\'s secret',
        lastErrorAt: new Date('2026-11-20T15:21:00.250Z'),
      }),
    ).toBe(
      "last message 2026-11-20T15:20:06Z · last 24 h: 12 accepted, 2 refused, 3 waiting for an account · last error (2026-11-20T15:21:00.250Z): the Stripe-Signature signature does not match this body and the source's secret",
    );
  });
});
