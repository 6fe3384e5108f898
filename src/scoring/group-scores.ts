// Group sub-scores: a view of one score by kind of signal (transactional,
// engagement, sentiment, relationship, lifecycle, custom), so a CSM sees in one
// look that "engagement fell, orders are fine". Computed from a score's
// components after the fact, never inside computeScore: the total stays the
// weighted mean over all measures, and a group is the same weighted mean over
// its own measures, so the two can never disagree.
import { bandFor } from './compute-score.js';
import { METRIC_CATEGORIES, type BandCutoffs, type Measure, type MeasureComponent, type MetricCategory, type MetricDefinition, type SnapshotBand } from './types.js';

/** A measure's group: a model's override, else its metric's category ("custom" for a custom metric left uncategorised). */
export type ScoreGroup = MetricCategory;
export const SCORE_GROUPS: readonly ScoreGroup[] = METRIC_CATEGORIES;

export const GROUP_LABEL: Record<ScoreGroup, string> = {
  transactional: 'Transactional',
  engagement: 'Engagement',
  sentiment: 'Sentiment',
  relationship: 'Relationship',
  lifecycle: 'Lifecycle',
  custom: 'Other',
};

export interface GroupScore {
  group: ScoreGroup;
  /** Weighted mean of the group's fresh measures' points, 0..100 to one decimal; null when none is fresh. */
  score: number | null;
  /** Share of the group's weight with fresh data, 0..1. */
  completeness: number;
  /** Sum of the group's measure weights. */
  weight: number;
  measureCount: number;
}

export type GroupOf = (metricKey: string) => ScoreGroup;

/**
 * Resolves each metric to its group for one model version: the measure's own
 * group when the model sets one, else the metric's category. A metric the
 * catalogue no longer knows falls in "custom" rather than vanishing.
 */
export function groupResolver(
  measures: readonly Pick<Measure, 'metricKey' | 'group'>[],
  metrics: ReadonlyMap<string, Pick<MetricDefinition, 'category'>>,
): GroupOf {
  const overrides = new Map<string, ScoreGroup>();
  for (const m of measures) if (m.group) overrides.set(m.metricKey, m.group);
  return (metricKey) => overrides.get(metricKey) ?? metrics.get(metricKey)?.category ?? 'custom';
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * One entry per group that has a measure with weight, in SCORE_GROUPS order.
 * Stale and missing measures count in a group's weight (lowering its
 * completeness) but never in its sub-score, exactly as in the total.
 */
export function computeGroupScores(components: readonly Pick<MeasureComponent, 'metricKey' | 'weight' | 'points'>[], groupOf: GroupOf): GroupScore[] {
  const sums = new Map<ScoreGroup, { weight: number; freshWeight: number; weightedPoints: number; count: number }>();
  for (const c of components) {
    if (c.weight <= 0) continue;
    const group = groupOf(c.metricKey);
    const sum = sums.get(group) ?? { weight: 0, freshWeight: 0, weightedPoints: 0, count: 0 };
    sum.weight += c.weight;
    sum.count += 1;
    if (c.points !== null) {
      sum.freshWeight += c.weight;
      sum.weightedPoints += c.points * c.weight;
    }
    sums.set(group, sum);
  }
  const groups: GroupScore[] = [];
  for (const group of SCORE_GROUPS) {
    const sum = sums.get(group);
    if (!sum) continue;
    groups.push({
      group,
      score: sum.freshWeight > 0 ? round1(sum.weightedPoints / sum.freshWeight) : null,
      completeness: Math.round((sum.freshWeight / sum.weight) * 1000) / 1000,
      weight: sum.weight,
      measureCount: sum.count,
    });
  }
  return groups;
}

/** The group with the lowest sub-score (ties: the heavier group); null when no group has one. */
export function weakestGroup(groups: readonly GroupScore[]): GroupScore | null {
  let weakest: GroupScore | null = null;
  for (const g of groups) {
    if (g.score === null) continue;
    if (!weakest || weakest.score === null || g.score < weakest.score || (g.score === weakest.score && g.weight > weakest.weight)) weakest = g;
  }
  return weakest;
}

/** A sub-score's band under the model's cut-offs: the colour it is shown in. */
export function groupBand(group: Pick<GroupScore, 'score'>, cutoffs: BandCutoffs): SnapshotBand {
  return group.score === null ? 'insufficient_data' : bandFor(group.score, cutoffs);
}

export interface GroupChange {
  group: ScoreGroup;
  /** now − then, one decimal; null when either side has no sub-score. */
  change: number | null;
}

/** Each current group's change against an earlier set of sub-scores (a group new since then has no change). */
export function groupChanges(now: readonly GroupScore[], then: readonly GroupScore[] | null): GroupChange[] {
  const before = new Map((then ?? []).map((g) => [g.group, g.score]));
  return now.map((g) => {
    const past = before.get(g.group);
    return { group: g.group, change: g.score === null || past === undefined || past === null ? null : round1(g.score - past) };
  });
}

/** The group whose sub-score fell the most (by at least `minFall` points); null when none fell. */
export function groupThatFellMost(changes: readonly GroupChange[], minFall = 0.5): GroupChange | null {
  let worst: GroupChange | null = null;
  for (const c of changes) {
    if (c.change === null || c.change > -minFall) continue;
    if (!worst || (worst.change !== null && c.change < worst.change)) worst = c;
  }
  return worst;
}
