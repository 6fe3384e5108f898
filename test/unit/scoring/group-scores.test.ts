import { describe, expect, it } from 'vitest';
import { computeScore } from '../../../src/scoring/compute-score.js';
import { DEFAULT_ALERT_CONFIG } from '../../../src/scoring/default-models.js';
import { computeGroupScores, groupBand, groupChanges, groupResolver, groupThatFellMost, weakestGroup } from '../../../src/scoring/group-scores.js';
import { validateModel } from '../../../src/scoring/model-schema.js';
import type { MeasureComponent, MetricCategory } from '../../../src/scoring/types.js';

const metrics = new Map<string, { category: MetricCategory; freshnessDays: number }>([
  ['orders', { category: 'transactional', freshnessDays: 30 }],
  ['late', { category: 'transactional', freshnessDays: 30 }],
  ['logins', { category: 'engagement', freshnessDays: 30 }],
  ['tickets', { category: 'engagement', freshnessDays: 14 }],
  ['nps', { category: 'sentiment', freshnessDays: 120 }],
  ['warehouse_sync', { category: 'custom', freshnessDays: 30 }],
]);

const component = (metricKey: string, weight: number, points: number | null, stale = false): MeasureComponent => ({
  metricKey, weight, good: 100, poor: 0, value: points, observedAt: points === null && !stale ? null : '2026-11-01T00:00:00.000Z', stale, points, pointsLost: 0,
});

describe('groupResolver', () => {
  it('uses the metric category by default, the model override when set, and "custom" for an unknown metric', () => {
    const groupOf = groupResolver([{ metricKey: 'orders' }, { metricKey: 'nps', group: 'relationship' }, { metricKey: 'logins', group: null }], metrics);
    expect(groupOf('orders')).toBe('transactional');
    expect(groupOf('nps')).toBe('relationship');
    expect(groupOf('logins')).toBe('engagement');
    expect(groupOf('warehouse_sync')).toBe('custom');
    expect(groupOf('gone_metric')).toBe('custom');
  });
});

describe('computeGroupScores', () => {
  const groupOf = groupResolver([], metrics);

  it('is the weighted mean of each group\'s fresh measures, with the group\'s completeness', () => {
    const groups = computeGroupScores([component('orders', 3, 80), component('late', 1, 40), component('logins', 2, 20), component('tickets', 2, null)], groupOf);
    expect(groups).toEqual([
      { group: 'transactional', score: 70, completeness: 1, weight: 4, measureCount: 2 },
      { group: 'engagement', score: 20, completeness: 0.5, weight: 4, measureCount: 2 },
    ]);
  });

  it('gives an all-stale group no sub-score and zero completeness, and leaves the others alone', () => {
    const groups = computeGroupScores([component('orders', 1, 90), component('logins', 2, null, true), component('tickets', 1, null, true)], groupOf);
    expect(groups.find((g) => g.group === 'engagement')).toEqual({ group: 'engagement', score: null, completeness: 0, weight: 3, measureCount: 2 });
    expect(groups.find((g) => g.group === 'transactional')?.score).toBe(90);
    expect(weakestGroup(groups)?.group).toBe('transactional');
  });

  it('gives a single-measure group that measure\'s points', () => {
    expect(computeGroupScores([component('nps', 5, 33.3)], groupOf)).toEqual([{ group: 'sentiment', score: 33.3, completeness: 1, weight: 5, measureCount: 1 }]);
  });

  it('keeps a group whose measures all lack data (no sub-score), and leaves weight-0 measures out', () => {
    const groups = computeGroupScores([component('orders', 1, 50), component('logins', 0, 10), component('nps', 1, null)], groupOf);
    expect(groups.map((g) => [g.group, g.score, g.completeness])).toEqual([['transactional', 50, 1], ['sentiment', null, 0]]);
  });

  it('never disagrees with the total: the fresh-weighted mean of sub-scores is the score', () => {
    const model = {
      key: 't', cutoffs: { healthyMin: 75, watchMin: 55, atRiskMin: 35 }, minCompleteness: 0.3, alertConfig: DEFAULT_ALERT_CONFIG,
      measures: [{ metricKey: 'orders', weight: 3, good: 20, poor: 0 }, { metricKey: 'late', weight: 1, good: 0, poor: 5 }, { metricKey: 'logins', weight: 2, good: 100, poor: 10 }, { metricKey: 'tickets', weight: 2, good: 0, poor: 10 }, { metricKey: 'nps', weight: 1, good: 50, poor: -20 }],
    };
    const asOf = new Date('2026-11-20T00:00:00Z');
    const at = (days: number) => new Date(asOf.getTime() - days * 86_400_000);
    const latest = new Map([
      ['orders', { metricKey: 'orders', value: 7, observedAt: at(1) }],
      ['late', { metricKey: 'late', value: 2, observedAt: at(2) }],
      ['logins', { metricKey: 'logins', value: 43, observedAt: at(3) }],
      ['tickets', { metricKey: 'tickets', value: 4, observedAt: at(40) }],
      ['nps', { metricKey: 'nps', value: 12, observedAt: at(5) }],
    ]);
    const result = computeScore(model, latest, metrics, asOf);
    const groups = computeGroupScores(result.components, groupOf);
    const fresh = groups.filter((g) => g.score !== null);
    const mean = fresh.reduce((s, g) => s + (g.score ?? 0) * g.weight * g.completeness, 0) / fresh.reduce((s, g) => s + g.weight * g.completeness, 0);
    expect(mean).toBeCloseTo(result.score ?? Number.NaN, 0);
    expect(Math.abs(mean - (result.score ?? 0))).toBeLessThan(0.2);
  });
});

describe('bands, weakest group and changes', () => {
  const cutoffs = { healthyMin: 75, watchMin: 55, atRiskMin: 35 };
  const g = (group: MetricCategory, score: number | null, weight = 1) => ({ group, score, completeness: score === null ? 0 : 1, weight, measureCount: 1 });

  it('colours a sub-score by the model cut-offs', () => {
    expect(groupBand(g('engagement', 80), cutoffs)).toBe('healthy');
    expect(groupBand(g('engagement', 34.9), cutoffs)).toBe('critical');
    expect(groupBand(g('engagement', null), cutoffs)).toBe('insufficient_data');
  });

  it('finds the weakest group, the heavier one on a tie', () => {
    expect(weakestGroup([g('transactional', 40, 1), g('engagement', 40, 3), g('sentiment', 90)])?.group).toBe('engagement');
    expect(weakestGroup([g('sentiment', null)])).toBeNull();
  });

  it('names the group that fell most, and none when nothing fell', () => {
    const changes = groupChanges([g('transactional', 80), g('engagement', 30), g('sentiment', 60), g('lifecycle', 50)], [g('transactional', 82), g('engagement', 70), g('sentiment', null)]);
    expect(changes).toEqual([{ group: 'transactional', change: -2 }, { group: 'engagement', change: -40 }, { group: 'sentiment', change: null }, { group: 'lifecycle', change: null }]);
    expect(groupThatFellMost(changes)?.group).toBe('engagement');
    expect(groupThatFellMost(groupChanges([g('transactional', 80)], [g('transactional', 70)]))).toBeNull();
    expect(groupChanges([g('transactional', 80)], null)).toEqual([{ group: 'transactional', change: null }]);
  });
});

describe('model group override', () => {
  it('refuses an unknown group and lists the allowed names', () => {
    const model = {
      key: 'default', name: 'Default', segment: null, cutoffs: { healthyMin: 75, watchMin: 55, atRiskMin: 35 }, minCompleteness: 0.5, alertConfig: DEFAULT_ALERT_CONFIG,
      measures: [{ metricKey: 'orders', weight: 1, good: 10, poor: 0, group: 'usage' }],
    };
    const result = validateModel(model, new Set(['orders']));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([{ path: 'measures.0.group', message: 'group must be one of transactional, engagement, sentiment, relationship, lifecycle, or null' }]);
  });
});
