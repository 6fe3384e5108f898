// The domain vocabulary of scoring, shared by every layer. Pure types and the
// zod schemas that guard them where they cross a boundary (JSON columns, files).
import { z } from 'zod';

export const DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const METRIC_CATEGORIES = [
  'transactional',
  'engagement',
  'sentiment',
  'relationship',
  'lifecycle',
  'custom',
] as const;
export type MetricCategory = (typeof METRIC_CATEGORIES)[number];

/** Optional display grouping of a model's measures. */
export const MEASURE_GROUPS = ['transactional', 'engagement', 'sentiment', 'relationship', 'lifecycle'] as const;
export type MeasureGroup = (typeof MEASURE_GROUPS)[number];

export const BANDS = ['healthy', 'watch', 'at_risk', 'critical'] as const;
export type Band = (typeof BANDS)[number];
/** A snapshot's band: a real band, or too little fresh data to judge. */
export type SnapshotBand = Band | 'insufficient_data';

export interface MetricDefinition {
  key: string;
  label: string;
  unit: string;
  direction: Direction;
  category: MetricCategory;
  /** Observations older than this are stale: reported, never scored. */
  freshnessDays: number;
  description: string;
  /** Plausible range; ingestion rejects values outside it. null/absent = unbounded. */
  minValue?: number | null;
  maxValue?: number | null;
}

export interface Measure {
  metricKey: string;
  weight: number;
  /** Value at which the measure earns 100 points. */
  good: number;
  /** Value at which the measure earns 0 points. */
  poor: number;
  /** Display grouping; absent when a caller does not say (a save then keeps the stored one). */
  group?: MeasureGroup | null;
}

export interface BandCutoffs {
  /** score >= healthyMin → healthy; >= watchMin → watch; >= atRiskMin → at risk; else critical. */
  healthyMin: number;
  watchMin: number;
  atRiskMin: number;
}

export interface AlertRuleConfig {
  /** Alert when the band gets worse than at the last good state. */
  bandWorsens: boolean;
  /** Alert when the score falls by at least dropPoints within dropDays. */
  dropPoints: number;
  dropDays: number;
  /** Alert when a measure crosses its "poor" threshold. */
  measureCrossesPoor: boolean;
  /** Alert when renewal is within renewalDays while at risk or critical. */
  renewalDays: number;
  /** Points beyond a cut-off a score must move before the band change counts. */
  hysteresisPoints: number;
  /** Hours an alert may stay unclaimed before it is re-surfaced once. */
  escalateAfterHours: number;
}

export interface ModelDefinition {
  /** Model key, e.g. "default", "enterprise". */
  key: string;
  name: string;
  /** null for the default model. */
  segment: string | null;
  cutoffs: BandCutoffs;
  /** 0..1; below it the score is "insufficient data". */
  minCompleteness: number;
  alertConfig: AlertRuleConfig;
  measures: Measure[];
  /** Definitions of the non-built-in metrics its measures use (model files carry them). */
  customMetrics?: MetricDefinition[];
}

/** A model as stored: a definition plus its version identity. */
export interface ModelVersion extends ModelDefinition {
  versionId: number;
  version: number;
}

/** The latest observation of one metric for one account at or before as-of. */
export interface Observation {
  metricKey: string;
  value: number;
  observedAt: Date;
  note?: string | null;
  authorSlackUserId?: string | null;
}

export interface MeasureComponent {
  metricKey: string;
  weight: number;
  good: number;
  poor: number;
  /** null when there is no observation at all. */
  value: number | null;
  observedAt: string | null;
  /** true when an observation exists but is older than the freshness window. */
  stale: boolean;
  /** 0..100, null when missing or stale. */
  points: number | null;
  /** Weighted points lost against a perfect 100 on the overall score (0..100 scale); 0 when not scored. */
  pointsLost: number;
}

export interface ScoreResult {
  /** 0..100 rounded to one decimal, or null when completeness is below the minimum. */
  score: number | null;
  band: SnapshotBand;
  /** Share of total weight with fresh data, 0..1. */
  completeness: number;
  /** Sorted by pointsLost descending, then missing/stale measures. */
  components: MeasureComponent[];
}

export const measureComponentSchema = z.object({
  metricKey: z.string(),
  weight: z.number(),
  good: z.number(),
  poor: z.number(),
  value: z.number().nullable(),
  observedAt: z.string().nullable(),
  stale: z.boolean(),
  points: z.number().nullable(),
  pointsLost: z.number(),
});
