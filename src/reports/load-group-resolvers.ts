// The measure groups of some model versions, from their stored overrides and
// the catalogue's categories: one small query, for lists and alerts.
import type { Prisma } from '../db/database.js';
import type { GroupOf } from '../scoring/group-scores.js';
import type { MetricDefinition } from '../scoring/types.js';
import { versionGroupResolvers } from './group-history.js';

export async function loadGroupResolvers(prisma: Prisma, versionIds: readonly number[], metrics: ReadonlyMap<string, Pick<MetricDefinition, 'category'>>): Promise<(versionId: number) => GroupOf> {
  const overrides = versionIds.length === 0
    ? []
    : await prisma.modelMeasure.findMany({ where: { versionId: { in: [...new Set(versionIds)] }, group: { not: null } }, select: { versionId: true, metricKey: true, group: true } });
  return versionGroupResolvers(overrides.map((o) => ({ version_id: o.versionId, metric_key: o.metricKey, group: o.group ?? '' })), metrics);
}
