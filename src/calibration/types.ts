// The data the calibration maths works on, and what it answers. Pure: the
// dataset builder (suggest/build-dataset.ts) fills these from the database.
import type { Band, BandCutoffs } from '../scoring/types.js';
import type { CalendarQuantities } from './calendar-measures.js';
import type { Interval } from './bootstrap.js';

export interface CalibrationMeasure {
  metricKey: string;
  category: string | null;
  /** The model under test's weight. */
  currentWeight: number;
}

/** One outcome, with the model's inputs as they stood at the anchor (renewal − lead days). */
export interface CalibrationRow {
  accountId: number;
  churned: boolean;
  /** Per measure (same order as the measures): 0–100 points, null when missing or stale at the anchor. */
  points: (number | null)[];
  /** Per measure: the raw value at the anchor, null when missing or stale. */
  values: (number | null)[];
  calendar: CalendarQuantities;
  /** The model under test's score at the anchor. */
  currentScore: number;
}

export interface CalibrationSettings {
  seed: number;
  folds: number;
  /** Repeats of the stratified k-fold split when choosing the penalty. */
  repeats: number;
  lambdas: readonly number[];
  bootstrapReplicates: number;
  /** Suggested weights below this are dropped. */
  minimumWeight: number;
}

export const DEFAULT_SETTINGS: CalibrationSettings = {
  seed: 20_261_201,
  folds: 5,
  repeats: 3,
  lambdas: [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003],
  bootstrapReplicates: 1000,
  minimumWeight: 5,
};

export type Confidence = 'evaluate_only' | 'low' | 'medium' | 'high';

export interface MeasureEvidence {
  metricKey: string;
  /** AUC of this measure's points alone (rows where it has a value); null with too few. */
  auc: number | null;
  direction: 'separates' | 'points_wrong_way' | 'no_signal' | 'unknown';
  missingShare: number;
  /** Other measures whose points correlate with this one's at |r| > 0.7. */
  overlaps: { metricKey: string; r: number }[];
  /** Why the measure was left out of fitting, when it was. */
  calendar: string | null;
  currentWeight: number;
  /** null when there is no suggestion. */
  suggestedWeight: number | null;
}

export interface BandRow {
  band: Band | 'insufficient_data';
  accounts: number;
  churned: number;
  churnRate: number | null;
}

export interface Separation {
  auc: number | null;
  interval: Interval | null;
}

export interface Suggestion {
  churned: number;
  renewed: number;
  accounts: number;
  confidence: Confidence;
  /** Why there is no suggestion, when there is none. */
  noSuggestion: string | null;
  /** metricKey → whole-number weight, summing to 100; null when there is no suggestion. */
  weights: Map<string, number> | null;
  current: Separation;
  suggested: Separation | null;
  difference: { estimate: number; interval: Interval | null } | null;
  verdict: 'likely_better' | 'not_proven' | null;
  bandsBefore: BandRow[];
  bandsAfter: BandRow[] | null;
  /** Share of churned outcomes that were at risk or critical at the anchor. */
  churnedFlaggedBefore: number | null;
  churnedFlaggedAfter: number | null;
  measures: MeasureEvidence[];
  settings: CalibrationSettings & { chosenLambda: number | null; cutoffs: BandCutoffs };
}
