import { describe, expect, it } from 'vitest';
import { evaluateAlert, explainChange, type AlertContext, type SnapshotLike } from '../../../src/alerts/evaluate-alert.js';
import { bandFor } from '../../../src/scoring/compute-score.js';
import { DEFAULT_ALERT_CONFIG, DEFAULT_CUTOFFS } from '../../../src/scoring/default-models.js';
import type { MeasureComponent } from '../../../src/scoring/types.js';

const t0 = new Date('2026-10-01T00:00:00Z').getTime();
const DAY = 86_400_000;
const comp = (metricKey: string, value: number, points: number, pointsLost: number): MeasureComponent => ({
  metricKey, weight: 10, good: 20, poor: 4, value, observedAt: null, stale: false, points, pointsLost,
});
const snap = (day: number, score: number, components: MeasureComponent[] = []): SnapshotLike => ({
  asOf: new Date(t0 + day * DAY), score, band: bandFor(score, DEFAULT_CUTOFFS), components,
});
const ctx = (current: SnapshotLike, patch: Partial<AlertContext> = {}): AlertContext => ({
  config: DEFAULT_ALERT_CONFIG, cutoffs: DEFAULT_CUTOFFS, current, baseline: null, recentPeak: null, openAlert: null, renewalDate: null, ...patch,
});

describe('evaluateAlert', () => {
  it('opens when the band worsens past the cut-off by more than the buffer, explaining which measures lost points', () => {
    const baseline = snap(0, 70, [comp('orders_30d', 18, 87.5, 2), comp('logins_30d', 200, 100, 0)]);
    const current = snap(10, 51.9, [comp('orders_30d', 4, 0, 20), comp('logins_30d', 120, 50, 8)]);
    const decision = evaluateAlert(ctx(current, { baseline, recentPeak: 70 }));
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
    });
  });

  it('stays quiet inside the hysteresis buffer below a cut-off', () => {
    expect(evaluateAlert(ctx(snap(5, 53.5), { baseline: snap(0, 60), recentPeak: 60 }))).toEqual({ kind: 'none' });
  });

  it('raises an alert for an account first scored at risk or critical', () => {
    expect(evaluateAlert(ctx(snap(0, 30)))).toMatchObject({ kind: 'open', triggers: [{ rule: 'first_scored_at_risk', band: 'critical' }] });
    expect(evaluateAlert(ctx(snap(0, 60)))).toEqual({ kind: 'none' });
  });

  it('never judges insufficient data', () => {
    const current: SnapshotLike = { asOf: new Date(t0), score: null, band: 'insufficient_data', components: [] };
    expect(evaluateAlert(ctx(current, { openAlert: { triggers: [], band: 'at_risk', score: 40 } }))).toEqual({ kind: 'none' });
  });

  it('updates an open alert only on material change, then resolves once recovered past cut-off plus buffer', () => {
    const baseline = snap(0, 70);
    const openAlert = { triggers: [{ rule: 'band_worsened' as const, from: 'watch' as const, to: 'at_risk' as const }], band: 'at_risk', score: 50 };
    expect(evaluateAlert(ctx(snap(11, 48), { baseline, openAlert }))).toEqual({ kind: 'none' });
    expect(evaluateAlert(ctx(snap(12, 30), { baseline, openAlert }))).toMatchObject({ kind: 'update', changed: 'band at risk → critical; score -20 to 30' });
    // 56 is back in watch but inside the buffer: still open, no material change
    expect(evaluateAlert(ctx(snap(20, 56), { baseline, openAlert: { ...openAlert, score: 54 } }))).toEqual({ kind: 'none' });
    expect(evaluateAlert(ctx(snap(21, 58.5), { baseline, openAlert: { ...openAlert, score: 56 } }))).toEqual({ kind: 'resolve', why: 'score recovered to 59 (watch)' });
  });

  it('does not flap for a score oscillating around a cut-off: one alert, no resolve/reopen churn', () => {
    const scores = [56, 54, 56, 53, 55, 54.5, 56, 52.5, 55.5, 54];
    let open: AlertContext['openAlert'] = null;
    let opened = 0;
    let resolved = 0;
    for (const [i, score] of scores.entries()) {
      const decision = evaluateAlert(ctx(snap(i, score), { baseline: snap(-1, 62), openAlert: open }));
      if (decision.kind === 'open') {
        opened += 1;
        open = { triggers: decision.triggers, band: bandFor(score, DEFAULT_CUTOFFS), score };
      }
      if (decision.kind === 'resolve') {
        resolved += 1;
        open = null;
      }
    }
    expect(opened).toBe(0);
    expect(resolved).toBe(0);
  });

  it('flags renewal within the window while at risk', () => {
    const decision = evaluateAlert(ctx(snap(0, 45), { baseline: snap(-10, 47), renewalDate: new Date(t0 + 30 * DAY) }));
    expect(decision).toMatchObject({ kind: 'open', triggers: [{ rule: 'renewal_at_risk', daysToRenewal: 30, band: 'at_risk' }] });
  });
});

describe('explainChange', () => {
  it('lists only measures that lost points, biggest first', () => {
    const reason = explainChange(snap(0, 80, [comp('a', 1, 50, 5), comp('b', 2, 100, 0)]), snap(1, 70, [comp('a', 1, 50, 5), comp('b', 1, 40, 6)]));
    expect(reason.changes).toEqual([{ metricKey: 'b', pointsLost: 6, valueBefore: 2, valueAfter: 1 }]);
  });
});
