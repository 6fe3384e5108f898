// The calibration maths on synthetic outcomes whose truth is known: the fit
// recovers the weights that generated them, calendar measures stay out of the
// fit, too few outcomes give no suggestion, and the same seed gives the same answer.
import { describe, expect, it } from 'vitest';
import { confidenceFor, suggestWeights } from '../../../src/calibration/suggest-weights.js';
import { DEFAULT_CUTOFFS } from '../../../src/scoring/default-models.js';
import { syntheticOutcomes } from './synthetic.js';

const FAST = { bootstrapReplicates: 200 };
/** Stated tolerance: each recovered weight within ±6 points (of 100) of the weight that generated the data. */
const TOLERANCE = 6;

describe('suggestWeights', () => {
  it(`recovers known weights from 4,000 synthetic outcomes within ±${TOLERANCE} points`, () => {
    const truth = [40, 30, 20, 10, 0];
    const { measures, rows } = syntheticOutcomes({ seed: 7, outcomes: 4000, weights: truth, strength: 8, churnRate: 0.25 });
    const s = suggestWeights({ measures, rows, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST });
    expect(s.confidence).toBe('high');
    const got = measures.map((m) => s.weights?.get(m.metricKey) ?? -1);
    expect(got.reduce((a, b) => a + b, 0)).toBe(100);
    got.forEach((w, j) => expect(Math.abs(w - (truth[j] ?? 0)), `m${j + 1}: got ${w}, truth ${truth[j]}`).toBeLessThanOrEqual(TOLERANCE));
    // Every current weight is equal, so the truth separates better — and the evidence should say so.
    expect(s.verdict).toBe('likely_better');
    expect(s.suggested?.auc ?? 0).toBeGreaterThan(s.current.auc ?? 1);
    expect(s.difference?.interval?.low ?? 0).toBeGreaterThan(0);
  });

  it('recovers them with a fifth of the values missing', () => {
    const truth = [50, 0, 30, 20];
    const { measures, rows } = syntheticOutcomes({ seed: 11, outcomes: 4000, weights: truth, strength: 8, churnRate: 0.3, missing: 0.2 });
    const s = suggestWeights({ measures, rows, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST });
    measures.forEach((m, j) => expect(Math.abs((s.weights?.get(m.metricKey) ?? -1) - (truth[j] ?? 0))).toBeLessThanOrEqual(TOLERANCE + 2));
    expect(s.measures.every((m) => m.missingShare > 0.15 && m.missingShare < 0.25)).toBe(true);
  });

  it('is deterministic: the same outcomes and seed give the same suggestion and intervals', () => {
    const { measures, rows } = syntheticOutcomes({ seed: 3, outcomes: 600, weights: [30, 30, 40], strength: 5, churnRate: 0.2 });
    const a = suggestWeights({ measures, rows, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST });
    const b = suggestWeights({ measures, rows, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST });
    expect([...(a.weights ?? [])]).toEqual([...(b.weights ?? [])]);
    expect(a.current).toEqual(b.current);
    expect(a.difference).toEqual(b.difference);
  });

  it('keeps a planted calendar measure out of the fit, whatever it is called, and says why', () => {
    const { measures, rows } = syntheticOutcomes({ seed: 5, outcomes: 1500, weights: [50, 30, 20], strength: 3, churnRate: 0.25 });
    // "contract_clock" is the account's days to its recorded renewal: churned
    // accounts' renewal dates were never moved on, renewed ones' were — it
    // separates almost perfectly, by construction.
    const planted = rows.map((r) => {
      const days = r.churned ? 20 + (r.accountId % 60) : 330 + (r.accountId % 60);
      return { ...r, calendar: { ...r.calendar, daysToRecordedRenewal: days }, values: [...r.values, days], points: [...r.points, Math.min(100, days / 3.65)] };
    });
    const withPlant = [...measures, { metricKey: 'contract_clock', category: 'custom', currentWeight: 10 }];
    const s = suggestWeights({ measures: withPlant, rows: planted, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST });
    const clock = s.measures.find((m) => m.metricKey === 'contract_clock');
    expect(clock?.calendar).toMatch(/follow the days left to the renewal date/);
    expect(clock?.auc ?? 0).toBeGreaterThan(0.95);
    // Not learned: it keeps its current share (10 of 40 = 25), and the rest is shared by the fit alone.
    expect(s.weights?.get('contract_clock')).toBe(25);
    const learned = ['m1', 'm2', 'm3'].map((k) => s.weights?.get(k) ?? 0);
    expect(learned.reduce((a, b) => a + b, 0)).toBe(75);
    expect(learned[0]).toBeGreaterThan(learned[2] ?? 0);
  });

  it('flags days_to_renewal and tenure by name', () => {
    const { measures, rows } = syntheticOutcomes({ seed: 9, outcomes: 300, weights: [1, 1], strength: 4, churnRate: 0.3 });
    const named = [{ ...measures[0]!, metricKey: 'days_to_renewal', category: 'lifecycle' }, { ...measures[1]!, metricKey: 'tenure_days', category: 'custom' }];
    const s = suggestWeights({ measures: named, rows, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST });
    expect(s.measures.map((m) => m.calendar !== null)).toEqual([true, true]);
    expect(s.weights).toBeNull();
    expect(s.noSuggestion).toMatch(/set by the calendar/);
  });

  it('gives no suggestion below 8 churned or 8 renewed outcomes, but still evaluates the current model', () => {
    const { measures, rows } = syntheticOutcomes({ seed: 2, outcomes: 400, weights: [1, 1], strength: 6, churnRate: 0.3 });
    const few = [...rows.filter((r) => r.churned).slice(0, 7), ...rows.filter((r) => !r.churned).slice(0, 50)];
    const s = suggestWeights({ measures, rows: few, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST });
    expect(s.confidence).toBe('evaluate_only');
    expect(s.weights).toBeNull();
    expect(s.noSuggestion).toBe('too few outcomes to learn from: 7 churned and 50 renewed (at least 8 of each are needed)');
    expect(s.current.auc).not.toBeNull();
    expect(s.bandsBefore.reduce((a, b) => a + b.accounts, 0)).toBe(57);
  });

  it('labels confidence from the counts', () => {
    expect([confidenceFor(7, 100), confidenceFor(8, 7), confidenceFor(8, 8), confidenceFor(19, 50), confidenceFor(20, 50), confidenceFor(49, 9), confidenceFor(50, 8)]).toEqual([
      'evaluate_only', 'evaluate_only', 'low', 'low', 'medium', 'medium', 'high',
    ]);
  });

  it('shows a measure that points the wrong way and overlapping measures', () => {
    const { measures, rows } = syntheticOutcomes({ seed: 4, outcomes: 2000, weights: [60, 40], strength: 6, churnRate: 0.3 });
    const extended = rows.map((r) => {
      const inverse = 100 - (r.points[0] ?? 50);
      const twin = Math.min(100, Math.max(0, (r.points[0] ?? 50) + (r.accountId % 7) - 3));
      return { ...r, points: [...r.points, inverse, twin], values: [...r.values, inverse, twin] };
    });
    const s = suggestWeights({
      measures: [...measures, { metricKey: 'upside_down', category: 'custom', currentWeight: 10 }, { metricKey: 'twin', category: 'custom', currentWeight: 10 }],
      rows: extended, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: FAST,
    });
    const byKey = new Map(s.measures.map((m) => [m.metricKey, m]));
    expect(byKey.get('upside_down')?.direction).toBe('points_wrong_way');
    expect(byKey.get('upside_down')?.suggestedWeight).toBe(0);
    expect(byKey.get('m1')?.overlaps.map((o) => o.metricKey)).toEqual(['upside_down', 'twin']);
  });
});
