import { describe, expect, it } from 'vitest';
import { judgedDayIfNotToday, judgesThePresent, LIVE_TOLERANCE_MS } from '../../../src/alerts/live-judgement.js';
import { alertMessage } from '../../../src/slack/views/alert-message.js';

describe('which runs judge alerts', () => {
  const now = new Date('2026-12-01T15:00:00Z');
  it('the present (and a scheduled slot a little behind the clock) judges; a past date is history', () => {
    expect(judgesThePresent(now, now)).toBe(true);
    expect(judgesThePresent(new Date(now.getTime() - 5 * 60_000), now)).toBe(true);
    expect(judgesThePresent(new Date(now.getTime() - LIVE_TOLERANCE_MS - 1), now)).toBe(false);
    expect(judgesThePresent(new Date('2026-10-01'), now)).toBe(false);
  });
  it('names the judged day only when it is not today (UTC)', () => {
    expect(judgedDayIfNotToday(new Date('2026-12-01T00:00:01Z'), now)).toBeNull();
    expect(judgedDayIfNotToday(new Date('2026-11-30T23:59:59Z'), now)).toBe('2026-11-30');
    expect(judgedDayIfNotToday(null, now)).toBeNull();
  });
  it('an alert message judged on another day says so in its title', () => {
    const message = alertMessage({
      alertId: 5, accountName: 'Northwind', externalId: 'NW', ownerSlackUserId: null, state: 'open', band: 'critical', score: 0,
      triggers: [{ rule: 'band_worsened', from: 'watch', to: 'critical' }], reason: { baseline: null, changes: [] }, actions: [],
      metricLabel: () => ({ label: 'x', unit: '' }), claimedBy: null, claimedAt: null, resolvedBy: null, resolvedAt: null, judgedOn: '2026-11-30',
    });
    expect(message.text).toBe('⚠️ Northwind: health fell — 0/100 (Critical) — as of 2026-11-30');
  });
});
