import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/scoring/roc-auc.js';
import { suggestActions } from '../../../src/scoring/suggest-actions.js';
import { computeTrend } from '../../../src/scoring/trend.js';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';
import type { MeasureComponent, ScoreResult } from '../../../src/scoring/types.js';

const DAY = 86_400_000;

describe('computeTrend', () => {
  const now = new Date('2026-11-02T12:00:00Z');
  const at = (daysBefore: number, score: number | null) => ({ asOf: new Date(now.getTime() - daysBefore * DAY), score });

  it('compares the latest score with the latest at or before 7 and 30 days ago', () => {
    const trend = computeTrend([at(40, 80), at(30, 78), at(10, 70), at(7, 66), at(0, 60)], now);
    expect(trend.change7d).toBe(-6);
    expect(trend.change30d).toBe(-18);
  });

  it('has no change without history and ignores snapshots after now', () => {
    expect(computeTrend([at(0, 50), at(-3, 10)], now)).toMatchObject({ change7d: null, change30d: null });
  });

  it('keeps windows exact across the end of daylight saving time (UTC instants)', () => {
    // Europe/Berlin left DST on 2026-10-25; a 7-day window is still 7×24 hours.
    const afterDst = new Date('2026-10-28T08:00:00Z');
    const trend = computeTrend([{ asOf: new Date('2026-10-21T08:00:00Z'), score: 70 }, { asOf: afterDst, score: 64 }], afterDst);
    expect(trend.change7d).toBe(-6);
  });

  it('draws one character per week: a score holds until the next snapshot, blank before the first', () => {
    // Snapshots are change points: 10 from 70 days ago until 99 arrives today.
    const trend = computeTrend([at(70, 10), at(0, 99)], now, 12);
    expect(trend.sparkline).toBe(' ▁▁▁▁▁▁▁▁▁▁█');
  });

  it('leaves weeks blank while data was insufficient', () => {
    expect(computeTrend([at(30, 80), at(20, null), at(6, 40)], now, 6).sparkline).toBe(' ▇▇  ▄');
  });
});

describe('rocAuc', () => {
  const bruteForce = (samples: { score: number; positive: boolean }[]) => {
    let wins = 0;
    let pairs = 0;
    for (const p of samples.filter((s) => s.positive))
      for (const n of samples.filter((s) => !s.positive)) {
        pairs += 1;
        wins += p.score < n.score ? 1 : p.score === n.score ? 0.5 : 0;
      }
    return wins / pairs;
  };

  it('is 1 when every churned account scored lower, 0 when higher, 0.5 for ties', () => {
    expect(rocAuc([{ score: 10, positive: true }, { score: 80, positive: false }])).toBe(1);
    expect(rocAuc([{ score: 90, positive: true }, { score: 20, positive: false }])).toBe(0);
    expect(rocAuc([{ score: 50, positive: true }, { score: 50, positive: false }])).toBe(0.5);
  });

  it('is null when a class is empty', () => {
    expect(rocAuc([{ score: 1, positive: false }])).toBeNull();
    expect(rocAuc([])).toBeNull();
  });

  it('matches a brute-force count on random data with ties', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const samples = Array.from({ length: 300 }, () => ({ score: Math.round(rand() * 40), positive: rand() < 0.3 }));
    expect(rocAuc(samples)).toBeCloseTo(bruteForce(samples), 12);
  });
});

describe('suggestActions', () => {
  const metrics = new Map(BUILT_IN_METRICS.map((m) => [m.key, m]));
  const component = (metricKey: string, value: number, points: number, pointsLost: number, good: number, poor: number): MeasureComponent => ({
    metricKey, weight: 10, good, poor, value, observedAt: '2026-11-01T00:00:00.000Z', stale: false, points, pointsLost,
  });
  const result = (band: ScoreResult['band'], score: number | null, components: MeasureComponent[]): ScoreResult => ({ score, band, completeness: 1, components });

  it('turns weak measures into concrete steps with the value in the reason, costliest first', () => {
    const actions = suggestActions({
      result: result('at_risk', 41, [component('orders_30d', 5, 6, 18, 20, 4), component('open_support_tickets', 9, 11, 9, 1, 10), component('nps', 45, 93, 1, 50, -20)]),
      trend: null,
      daysToRenewal: 200,
      metrics,
    });
    expect(actions.map((a) => a.id)).toEqual(['reorder-check-in', 'escalate-support']);
    expect(actions[0]?.why).toBe('Orders (30 days) is 5 orders (poor: 4, good: 20)');
  });

  it('puts the executive sponsor call first when renewal is near and the account is at risk', () => {
    const actions = suggestActions({ result: result('critical', 20, [component('logins_30d', 10, 0, 30, 200, 30)]), trend: null, daysToRenewal: 45, metrics });
    expect(actions[0]).toMatchObject({ id: 'executive-sponsor-call', why: 'renewal in 45 days while critical' });
    expect(actions[1]?.id).toBe('training-session');
  });

  it('suggests expansion for healthy, growing accounts', () => {
    const actions = suggestActions({ result: result('healthy', 88, []), trend: { change7d: 1, change30d: 4, sparkline: '' }, daysToRenewal: null, metrics });
    expect(actions).toEqual([{ id: 'expansion', title: 'Propose an upsell, ask for a reference, or offer a loyalty reward', why: 'healthy at 88/100 and up 4 points in 30 days', priority: 10 }]);
  });

  it('asks for the missing data when there is too little to score', () => {
    const missing: MeasureComponent = { metricKey: 'nps', weight: 10, good: 50, poor: -20, value: null, observedAt: null, stale: false, points: null, pointsLost: 0 };
    const actions = suggestActions({ result: { score: null, band: 'insufficient_data', completeness: 0, components: [missing] }, trend: null, daysToRenewal: null, metrics });
    expect(actions).toEqual([{ id: 'collect-missing-data', title: 'Collect the missing data', why: 'no fresh data for NPS', priority: 9 }]);
  });
});
