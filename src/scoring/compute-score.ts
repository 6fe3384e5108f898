// The score, explainable by construction: each measure earns 0–100 points
// linearly between its "poor" and "good" thresholds; the score is the weighted
// mean over measures with fresh data; every point lost is attributed to one
// measure, so the explanation always adds up to 100 − score.
import type { Band, BandCutoffs, MeasureComponent, Measure, MetricDefinition, ModelDefinition, Observation, ScoreResult } from './types.js';

const DAY_MS = 86_400_000;

export class InvalidModelWeightsError extends Error {
  constructor(modelKey: string) {
    super(`model "${modelKey}" has no positive weight: nothing can be scored`);
    this.name = 'InvalidModelWeightsError';
  }
}

/** 0 at poor, 100 at good, linear between, clamped. good < poor means lower is better. */
export function measurePoints(measure: Pick<Measure, 'good' | 'poor'>, value: number): number {
  const span = measure.good - measure.poor;
  if (span === 0) return value === measure.good ? 100 : 0;
  const raw = ((value - measure.poor) / span) * 100;
  return raw <= 0 ? 0 : raw >= 100 ? 100 : raw;
}

export function bandFor(score: number, cutoffs: BandCutoffs): Band {
  if (score >= cutoffs.healthyMin) return 'healthy';
  if (score >= cutoffs.watchMin) return 'watch';
  if (score >= cutoffs.atRiskMin) return 'at_risk';
  return 'critical';
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Scores one account. `latest` holds the newest observation per metric at or
 * before `asOf`; an observation older than its metric's freshness window is
 * stale (reported, not scored), and one dated after `asOf` counts as missing.
 */
export function computeScore(
  model: Pick<ModelDefinition, 'key' | 'measures' | 'cutoffs' | 'minCompleteness'>,
  latest: ReadonlyMap<string, Observation>,
  metrics: ReadonlyMap<string, Pick<MetricDefinition, 'freshnessDays'>>,
  asOf: Date,
): ScoreResult {
  const asOfMs = asOf.getTime();
  let totalWeight = 0;
  let freshWeight = 0;
  let weightedPoints = 0;
  const scored: { measure: Measure; value: number; observedAt: Date; points: number }[] = [];
  const unscored: MeasureComponent[] = [];

  for (const measure of model.measures) {
    totalWeight += measure.weight;
    const observation = latest.get(measure.metricKey);
    const observedMs = observation?.observedAt.getTime();
    const freshnessDays = metrics.get(measure.metricKey)?.freshnessDays ?? 0;
    const usable = observation !== undefined && observedMs !== undefined && observedMs <= asOfMs;
    if (usable && asOfMs - observedMs <= freshnessDays * DAY_MS) {
      const points = measurePoints(measure, observation.value);
      freshWeight += measure.weight;
      weightedPoints += points * measure.weight;
      scored.push({ measure, value: observation.value, observedAt: observation.observedAt, points });
    } else {
      unscored.push({
        metricKey: measure.metricKey,
        weight: measure.weight,
        good: measure.good,
        poor: measure.poor,
        value: usable ? observation.value : null,
        observedAt: usable ? observation.observedAt.toISOString() : null,
        stale: usable,
        points: null,
        pointsLost: 0,
      });
    }
  }
  if (totalWeight <= 0) throw new InvalidModelWeightsError(model.key);

  const completeness = freshWeight / totalWeight;
  // Fields spelled out rather than spread from a helper: V8 copies spread
  // objects slowly enough that it was 80% of a 100,000-account recompute.
  const components: MeasureComponent[] = scored.map(({ measure, value, observedAt, points }) => ({
    metricKey: measure.metricKey,
    weight: measure.weight,
    good: measure.good,
    poor: measure.poor,
    value,
    observedAt: observedAt.toISOString(),
    stale: false,
    points: round1(points),
    pointsLost: freshWeight > 0 ? round1((measure.weight / freshWeight) * (100 - points)) : 0,
  }));
  components.sort((a, b) => b.pointsLost - a.pointsLost || b.weight - a.weight);
  unscored.sort((a, b) => b.weight - a.weight);

  const insufficient = freshWeight === 0 || completeness < model.minCompleteness;
  const score = insufficient ? null : round1(weightedPoints / freshWeight);
  return {
    score,
    band: score === null ? 'insufficient_data' : bandFor(score, model.cutoffs),
    completeness: Math.round(completeness * 1000) / 1000,
    components: [...components, ...unscored],
  };
}
