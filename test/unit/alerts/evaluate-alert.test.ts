import { describe, expect, it } from 'vitest';
import { evaluateAlert, explainChange, triggerCleared, type AlertContext, type SnapshotLike } from '../../../src/alerts/evaluate-alert.js';
import type { AlertTrigger } from '../../../src/alerts/alert-types.js';
import { bandFor } from '../../../src/scoring/compute-score.js';
import { DEFAULT_ALERT_CONFIG, DEFAULT_CUTOFFS } from '../../../src/scoring/default-models.js';
import type { MeasureComponent } from '../../../src/scoring/types.js';

// Cut-offs: healthy ≥ 75, watch ≥ 55, at risk ≥ 35; buffer 3; drop 10 points in 14 days.
const t0 = new Date('2026-10-01T00:00:00Z').getTime();
const DAY = 86_400_000;
const comp = (metricKey: string, value: number, points: number, pointsLost: number): MeasureComponent => ({
  metricKey, weight: 10, good: 20, poor: 4, value, observedAt: null, stale: false, points, pointsLost,
});
const snap = (day: number, score: number, components: MeasureComponent[] = []): SnapshotLike => ({
  asOf: new Date(t0 + day * DAY), score, band: bandFor(score, DEFAULT_CUTOFFS), components,
});
const ctx = (current: SnapshotLike, patch: Partial<AlertContext> = {}): AlertContext => ({
  config: DEFAULT_ALERT_CONFIG, cutoffs: DEFAULT_CUTOFFS, current, baseline: null, previous: null, peak: null, openAlert: null, renewalDate: null, ...patch,
});
const opened = (triggers: AlertTrigger[], score: number) => ({ triggers, band: bandFor(score, DEFAULT_CUTOFFS), score });

describe('evaluateAlert: opening', () => {
  it('opens when the band worsens past the cut-off by more than the buffer, explaining which measures lost points', () => {
    const baseline = snap(0, 70, [comp('orders_30d', 18, 87.5, 2), comp('logins_30d', 200, 100, 0)]);
    const current = snap(10, 51.9, [comp('orders_30d', 4, 0, 20), comp('logins_30d', 120, 50, 8)]);
    const decision = evaluateAlert(ctx(current, { baseline, previous: baseline, peak: baseline }));
    expect(decision).toEqual({
      kind: 'open',
      triggers: [
        { rule: 'band_worsened', from: 'watch', to: 'at_risk' },
        { rule: 'score_dropped', points: 18.1, days: 14, fromScore: 70, toScore: 51.9 },
        { rule: 'measure_poor', metricKey: 'orders_30d', value: 4, poor: 4 },
      ],
      reason: {
        baseline: { asOf: '2026-10-01T00:00:00.000Z', score: 70, band: 'watch' },
        changes: [
          { metricKey: 'orders_30d', pointsLost: 18, valueBefore: 18, valueAfter: 4 },
          { metricKey: 'logins_30d', pointsLost: 8, valueBefore: 200, valueAfter: 120 },
        ],
      },
      against: baseline,
    });
  });

  it('stays quiet inside the hysteresis buffer below a cut-off', () => {
    expect(evaluateAlert(ctx(snap(5, 53.5), { baseline: snap(0, 60), previous: snap(0, 60), peak: snap(0, 60) }))).toEqual({ kind: 'none' });
  });

  it('catches a slow drift: the baseline is the last better band, not the newest state', () => {
    // 76 (healthy) → 74 → 73 → 72: each step is small, the fall below 75 − 3 still alerts.
    const healthy = snap(0, 76);
    expect(evaluateAlert(ctx(snap(1, 74), { baseline: healthy, previous: healthy, peak: healthy })).kind).toBe('none');
    expect(evaluateAlert(ctx(snap(2, 73), { baseline: healthy, previous: snap(1, 74), peak: healthy })).kind).toBe('none');
    expect(evaluateAlert(ctx(snap(3, 72), { baseline: healthy, previous: snap(2, 73), peak: healthy }))).toMatchObject({
      kind: 'open', triggers: [{ rule: 'band_worsened', from: 'healthy', to: 'watch' }],
    });
  });

  it('explains a drop within one band against its peak', () => {
    const peak = snap(0, 95, [comp('nps', 50, 100, 0)]);
    const decision = evaluateAlert(ctx(snap(5, 84, [comp('nps', 10, 40, 11)]), { previous: snap(3, 90), peak }));
    expect(decision).toMatchObject({ kind: 'open', triggers: [{ rule: 'score_dropped', points: 11 }], reason: { baseline: { score: 95 }, changes: [{ metricKey: 'nps', pointsLost: 11, valueBefore: 50, valueAfter: 10 }] } });
  });

  it('raises an alert for an account first scored at risk or critical, and only the first time', () => {
    expect(evaluateAlert(ctx(snap(0, 30)))).toMatchObject({ kind: 'open', triggers: [{ rule: 'first_scored_at_risk', band: 'critical' }], against: null });
    expect(evaluateAlert(ctx(snap(0, 60)))).toEqual({ kind: 'none' });
    expect(evaluateAlert(ctx(snap(1, 30), { previous: snap(0, 31) }))).toEqual({ kind: 'none' });
  });

  it('never judges insufficient data', () => {
    const current: SnapshotLike = { asOf: new Date(t0), score: null, band: 'insufficient_data', components: [] };
    expect(evaluateAlert(ctx(current, { openAlert: opened([], 40) }))).toEqual({ kind: 'none' });
    expect(evaluateAlert(ctx(current))).toEqual({ kind: 'none' });
  });

  it('flags renewal within the window while at risk', () => {
    const decision = evaluateAlert(ctx(snap(0, 45), { previous: snap(-10, 47), renewalDate: new Date(t0 + 30 * DAY) }));
    expect(decision).toMatchObject({ kind: 'open', triggers: [{ rule: 'renewal_at_risk', daysToRenewal: 30, band: 'at_risk' }] });
  });
});

describe('evaluateAlert: an open episode', () => {
  const baseline = snap(0, 70);
  const fell: AlertTrigger = { rule: 'band_worsened', from: 'watch', to: 'at_risk' };

  it('updates only on material change', () => {
    expect(evaluateAlert(ctx(snap(11, 48), { baseline, openAlert: opened([fell], 50) }))).toEqual({ kind: 'none' });
    expect(evaluateAlert(ctx(snap(12, 30), { baseline, openAlert: opened([fell], 50) }))).toMatchObject({ kind: 'update', changed: 'band at risk → critical; score -20 to 30' });
  });

  it('stays open while the account sits in the band it fell into, however many runs see it', () => {
    // The reviewer's case: healthy 77 → watch 71.1; the next run (watch again) must not forgive it.
    const healthy = snap(0, 77);
    const decision = evaluateAlert(ctx(snap(1, 71.1), { baseline: healthy, previous: healthy, peak: healthy }));
    expect(decision).toMatchObject({ kind: 'open', triggers: [{ rule: 'band_worsened', from: 'healthy', to: 'watch' }] });
    const open = opened(decision.kind === 'open' ? decision.triggers : [], 71.1);
    for (const [day, score] of [[2, 71.1], [3, 72], [4, 71]] as const) {
      expect(evaluateAlert(ctx(snap(day, score), { baseline: healthy, previous: snap(day - 1, 71.1), peak: snap(day - 1, 71.1), openAlert: open }))).toEqual({ kind: 'none' });
    }
    // Back above 75 + 3: resolved.
    expect(evaluateAlert(ctx(snap(9, 78.5), { baseline: healthy, previous: snap(8, 74), openAlert: open }))).toEqual({ kind: 'resolve', why: 'score recovered to 79 (healthy)' });
  });

  it('resolves only once every trigger has cleared, with the buffer', () => {
    const open = opened([fell], 50);
    // 56 is back in watch but inside the buffer (55 + 3): still open.
    expect(evaluateAlert(ctx(snap(20, 56), { baseline, openAlert: { ...open, score: 54 } }))).toEqual({ kind: 'none' });
    expect(evaluateAlert(ctx(snap(21, 58.5), { baseline, openAlert: { ...open, score: 56 } }))).toEqual({ kind: 'resolve', why: 'score recovered to 59 (watch)' });
    // A measure still at poor keeps it open even with the score recovered.
    const poor: AlertTrigger = { rule: 'measure_poor', metricKey: 'csat', value: 60, poor: 60 };
    const stillPoor = snap(21, 80, [comp('csat', 60, 0, 10)]);
    expect(evaluateAlert(ctx(stillPoor, { baseline, openAlert: opened([fell, poor], 50) })).kind).not.toBe('resolve');
    expect(evaluateAlert(ctx(snap(22, 80, [comp('csat', 70, 50, 5)]), { baseline, openAlert: opened([fell, poor], 50) })).kind).toBe('resolve');
  });

  it('does not forgive a score drop because its peak left the window', () => {
    const drop: AlertTrigger = { rule: 'score_dropped', points: 15, days: 14, fromScore: 90, toScore: 75 };
    // Weeks later, no peak in the window and the score still 15 below: open.
    expect(evaluateAlert(ctx(snap(30, 76), { openAlert: opened([drop], 75) }))).toEqual({ kind: 'none' });
    // Within 10 − 3 points of where it fell from: cleared.
    expect(evaluateAlert(ctx(snap(31, 83.5), { openAlert: opened([drop], 76) }))).toMatchObject({ kind: 'resolve' });
  });

  it('does not flap for a score oscillating around a cut-off: one alert, no resolve/reopen churn', () => {
    const scores = [56, 54, 56, 53, 55, 54.5, 56, 52.5, 55.5, 54];
    let open: AlertContext['openAlert'] = null;
    let openedCount = 0;
    let resolvedCount = 0;
    let previous: SnapshotLike | null = snap(-1, 62);
    for (const [i, score] of scores.entries()) {
      const decision = evaluateAlert(ctx(snap(i, score), { baseline: snap(-1, 62), previous, openAlert: open }));
      if (decision.kind === 'open') {
        openedCount += 1;
        open = opened(decision.triggers, score);
      }
      if (decision.kind === 'resolve') {
        resolvedCount += 1;
        open = null;
      }
      previous = snap(i, score);
    }
    expect(openedCount).toBe(0);
    expect(resolvedCount).toBe(0);
  });
});

describe('triggerCleared', () => {
  const c = (score: number, patch: Partial<AlertContext> = {}) => ctx(snap(0, score), patch);
  it('clears each rule on its own condition plus the buffer', () => {
    expect(triggerCleared({ rule: 'first_scored_at_risk', band: 'at_risk' }, c(57.9))).toBe(false);
    expect(triggerCleared({ rule: 'first_scored_at_risk', band: 'at_risk' }, c(58))).toBe(true);
    expect(triggerCleared({ rule: 'renewal_at_risk', daysToRenewal: 20, band: 'at_risk' }, c(40, { renewalDate: new Date(t0 + 20 * DAY) }))).toBe(false);
    expect(triggerCleared({ rule: 'renewal_at_risk', daysToRenewal: 20, band: 'at_risk' }, c(40, { renewalDate: new Date(t0 - DAY) }))).toBe(true);
    expect(triggerCleared({ rule: 'measure_poor', metricKey: 'gone', value: 1, poor: 1 }, c(40))).toBe(true);
    const stale = { ...comp('nps', 0, 0, 0), points: null, stale: true };
    expect(triggerCleared({ rule: 'measure_poor', metricKey: 'nps', value: 1, poor: 1 }, ctx({ ...snap(0, 40), components: [stale] }))).toBe(false);
  });
});

describe('explainChange', () => {
  it('lists only measures that lost points, biggest first', () => {
    const reason = explainChange(snap(0, 80, [comp('a', 1, 50, 5), comp('b', 2, 100, 0)]), snap(1, 70, [comp('a', 1, 50, 5), comp('b', 1, 40, 6)]));
    expect(reason.changes).toEqual([{ metricKey: 'b', pointsLost: 6, valueBefore: 2, valueAfter: 1 }]);
  });
});
