import { describe, expect, it } from 'vitest';
import { bandFor, computeScore, InvalidModelWeightsError, measurePoints } from '../../../src/scoring/compute-score.js';
import type { Measure, ModelDefinition, Observation } from '../../../src/scoring/types.js';
import { DEFAULT_ALERT_CONFIG } from '../../../src/scoring/default-models.js';

const asOf = new Date('2026-11-01T00:00:00Z');
const daysAgo = (d: number) => new Date(asOf.getTime() - d * 86_400_000);

function model(measures: Measure[], minCompleteness = 0.5): ModelDefinition {
  return { key: 't', name: 'T', segment: null, cutoffs: { healthyMin: 75, watchMin: 55, atRiskMin: 35 }, minCompleteness, alertConfig: DEFAULT_ALERT_CONFIG, measures };
}
const metrics = new Map([
  ['orders', { freshnessDays: 30 }],
  ['tickets', { freshnessDays: 14 }],
  ['nps', { freshnessDays: 120 }],
]);
const obs = (entries: [string, number, number][]): Map<string, Observation> =>
  new Map(entries.map(([metricKey, value, age]) => [metricKey, { metricKey, value, observedAt: daysAgo(age) }]));

describe('measurePoints', () => {
  it.each([
    [{ good: 20, poor: 4 }, 12, 50],
    [{ good: 20, poor: 4 }, 20, 100],
    [{ good: 20, poor: 4 }, 40, 100],
    [{ good: 20, poor: 4 }, 0, 0],
    // lower is better: good below poor
    [{ good: 1, poor: 10 }, 1, 100],
    [{ good: 1, poor: 10 }, 5.5, 50],
    [{ good: 1, poor: 10 }, 10, 0],
    [{ good: 1, poor: 10 }, 25, 0],
    [{ good: 1, poor: 10 }, 0, 100],
  ])('%o at %d earns %d points', (measure, value, points) => {
    expect(measurePoints(measure, value)).toBeCloseTo(points, 10);
  });
});

describe('bandFor', () => {
  const cutoffs = { healthyMin: 75, watchMin: 55, atRiskMin: 35 };
  it.each([[100, 'healthy'], [75, 'healthy'], [74.9, 'watch'], [55, 'watch'], [54.9, 'at_risk'], [35, 'at_risk'], [34.9, 'critical'], [0, 'critical']])(
    '%d is %s',
    (score, band) => expect(bandFor(score, cutoffs)).toBe(band),
  );
});

describe('computeScore', () => {
  const three = model([
    { metricKey: 'orders', weight: 50, good: 20, poor: 4 },
    { metricKey: 'tickets', weight: 30, good: 1, poor: 10 },
    { metricKey: 'nps', weight: 20, good: 50, poor: -20 },
  ]);

  it('is the weighted mean of measure points, with points lost adding up to 100 − score', () => {
    const result = computeScore(three, obs([['orders', 12, 2], ['tickets', 10, 1], ['nps', 50, 30]]), metrics, asOf);
    // 50*50 + 30*0 + 20*100 = 4500 / 100 = 45
    expect(result.score).toBe(45);
    expect(result.band).toBe('at_risk');
    expect(result.completeness).toBe(1);
    expect(result.components.map((c) => [c.metricKey, c.points, c.pointsLost])).toEqual([
      ['tickets', 0, 30],
      ['orders', 50, 25],
      ['nps', 100, 0],
    ]);
    const lost = result.components.reduce((s, c) => s + c.pointsLost, 0);
    expect(lost).toBeCloseTo(100 - 45, 5);
  });

  it('excludes stale data, reports it, and re-weights over fresh measures', () => {
    const result = computeScore(three, obs([['orders', 20, 2], ['tickets', 1, 20], ['nps', -20, 30]]), metrics, asOf);
    // tickets is 20 days old with a 14-day window: stale. Fresh weight 70: (50*100 + 20*0)/70
    expect(result.score).toBe(71.4);
    expect(result.completeness).toBe(0.7);
    const tickets = result.components.find((c) => c.metricKey === 'tickets');
    expect(tickets).toMatchObject({ stale: true, points: null, value: 1, pointsLost: 0 });
    expect(result.components.at(-1)?.metricKey).toBe('tickets');
  });

  it('is insufficient data when all data is missing', () => {
    const result = computeScore(three, new Map(), metrics, asOf);
    expect(result).toMatchObject({ score: null, band: 'insufficient_data', completeness: 0 });
    expect(result.components.every((c) => c.value === null && !c.stale)).toBe(true);
  });

  it('is insufficient data below the minimum completeness, and scored exactly at it', () => {
    const half = model([
      { metricKey: 'orders', weight: 50, good: 20, poor: 4 },
      { metricKey: 'nps', weight: 50, good: 50, poor: -20 },
    ], 0.5);
    expect(computeScore(half, obs([['orders', 20, 1]]), metrics, asOf)).toMatchObject({ score: 100, band: 'healthy', completeness: 0.5 });
    const strict = { ...half, minCompleteness: 0.51 };
    expect(computeScore(strict, obs([['orders', 20, 1]]), metrics, asOf)).toMatchObject({ score: null, band: 'insufficient_data' });
  });

  it('scores a one-measure model', () => {
    const one = model([{ metricKey: 'orders', weight: 1, good: 20, poor: 4 }]);
    expect(computeScore(one, obs([['orders', 8, 0]]), metrics, asOf).score).toBe(25);
  });

  it('treats an observation dated after as-of as missing', () => {
    const one = model([{ metricKey: 'orders', weight: 1, good: 20, poor: 4 }]);
    const future = new Map([['orders', { metricKey: 'orders', value: 20, observedAt: new Date(asOf.getTime() + 1000) }]]);
    expect(computeScore(one, future, metrics, asOf)).toMatchObject({ score: null, band: 'insufficient_data' });
  });

  it('rejects a model whose weights are all zero', () => {
    const zero = model([{ metricKey: 'orders', weight: 0, good: 20, poor: 4 }]);
    expect(() => computeScore(zero, obs([['orders', 8, 0]]), metrics, asOf)).toThrow(InvalidModelWeightsError);
  });
});
