// Synthetic outcomes generated from known weights, for the calibration tests.
import { seededRandom } from '../../../src/demo/seeded-random.js';
import type { CalibrationMeasure, CalibrationRow } from '../../../src/calibration/types.js';

export interface SyntheticOptions {
  seed: number;
  outcomes: number;
  /** True weights (any scale); points are uniform 0–100. */
  weights: number[];
  /** Logit change across the whole 0–100 score range. */
  strength: number;
  /** Target churn rate. */
  churnRate: number;
  /** Share of values missing at random. */
  missing?: number;
}

export function syntheticOutcomes(o: SyntheticOptions): { measures: CalibrationMeasure[]; rows: CalibrationRow[] } {
  const random = seededRandom(o.seed);
  const total = o.weights.reduce((a, b) => a + b, 0);
  const measures = o.weights.map((_, j) => ({ metricKey: `m${j + 1}`, category: 'engagement', currentWeight: 10 }));
  const intercept = Math.log(o.churnRate / (1 - o.churnRate)) + o.strength / 2;
  const rows: CalibrationRow[] = [];
  for (let i = 0; i < o.outcomes; i += 1) {
    const points = o.weights.map(() => random() * 100);
    const score = points.reduce((a, p, j) => a + p * (o.weights[j] ?? 0), 0) / total;
    const p = 1 / (1 + Math.exp(-(intercept - (o.strength * score) / 100)));
    const churned = random() < p;
    const shown = points.map((v) => (o.missing && random() < o.missing ? null : v));
    rows.push({
      accountId: i + 1,
      churned,
      points: shown,
      values: shown,
      calendar: { daysToRecordedRenewal: 300 + Math.floor(random() * 60), tenureDays: 400 + Math.floor(random() * 900), anchorDay: 20_000 + Math.floor(random() * 700) },
      currentScore: Math.round(shown.reduce<number>((a, v) => a + (v ?? 50), 0) / shown.length * 10) / 10,
    });
  }
  return { measures, rows };
}
