// Group sub-scores for a report: now, 30 days ago, and at every snapshot of the
// chart's window. Each snapshot is grouped by its own model version's groups,
// so a group override added later does not rewrite how the past looked.
import { decodeComponents } from '../scoring/component-codec.js';
import { computeGroupScores, groupBand, groupChanges, groupResolver, GROUP_LABEL, type GroupOf, type GroupScore, type ScoreGroup } from '../scoring/group-scores.js';
import { MEASURE_GROUPS, type BandCutoffs, type MeasureComponent, type MetricDefinition, type SnapshotBand } from '../scoring/types.js';

const DAY_MS = 86_400_000;

export interface ReportGroup extends GroupScore {
  label: string;
  band: SnapshotBand;
  /** Sub-score change against the snapshot in force 30 days earlier; null without one. */
  change30d: number | null;
}

export interface HistoryPoint {
  asOf: Date;
  score: number | null;
  band: SnapshotBand;
  modelVersionId: number;
  modelVersion: number;
  groups: GroupScore[];
}

export interface HistoryRow {
  as_of: Date;
  score: number | null;
  band: string;
  model_version_id: number;
  version: number;
  components: unknown;
}

export interface GroupOverrideRow {
  version_id: number;
  metric_key: string;
  group: string;
}

/** One resolver per model version, from that version's stored overrides and the catalogue's categories. */
export function versionGroupResolvers(overrides: readonly GroupOverrideRow[], metrics: ReadonlyMap<string, Pick<MetricDefinition, 'category'>>): (versionId: number) => GroupOf {
  const byVersion = new Map<number, { metricKey: string; group: (typeof MEASURE_GROUPS)[number] }[]>();
  for (const o of overrides) {
    const group = MEASURE_GROUPS.find((g) => g === o.group);
    if (!group) continue;
    byVersion.set(o.version_id, [...(byVersion.get(o.version_id) ?? []), { metricKey: o.metric_key, group }]);
  }
  const cache = new Map<number, GroupOf>();
  return (versionId) => {
    let resolver = cache.get(versionId);
    if (!resolver) {
      resolver = groupResolver(byVersion.get(versionId) ?? [], metrics);
      cache.set(versionId, resolver);
    }
    return resolver;
  };
}

export function buildGroupHistory(rows: readonly HistoryRow[], resolverFor: (versionId: number) => GroupOf, toBand: (band: string) => SnapshotBand): HistoryPoint[] {
  return rows.map((r) => ({
    asOf: r.as_of,
    score: r.score,
    band: toBand(r.band),
    modelVersionId: r.model_version_id,
    modelVersion: r.version,
    groups: computeGroupScores(decodeComponents(r.components), resolverFor(r.model_version_id)),
  }));
}

/** The current groups, each with its band colour and its change over 30 days to `at`. */
export function reportGroups(current: readonly MeasureComponent[], groupOf: GroupOf, history: readonly HistoryPoint[], cutoffs: BandCutoffs, at: Date): ReportGroup[] {
  const groups = computeGroupScores(current, groupOf);
  const then = history.findLast((p) => p.asOf.getTime() <= at.getTime() - 30 * DAY_MS);
  const changes = new Map(groupChanges(groups, then ? then.groups : null).map((c) => [c.group, c.change]));
  return groups.map((g) => ({ ...g, label: GROUP_LABEL[g.group], band: groupBand(g, cutoffs), change30d: changes.get(g.group) ?? null }));
}

/** A group's sub-score at each history point (null where it had none), for a chart line. */
export function groupSeries(history: readonly HistoryPoint[], group: ScoreGroup): (number | null)[] {
  return history.map((p) => p.groups.find((g) => g.group === group)?.score ?? null);
}
