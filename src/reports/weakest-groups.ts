// The weakest group of each account in a portfolio list ("engagement 28"), so
// /health at-risk and App Home say where each account hurts, not only how much.
import type { Prisma } from '../db/database.js';
import { computeGroupScores, weakestGroup, GROUP_LABEL, type ScoreGroup } from '../scoring/group-scores.js';
import { decodeComponents } from '../scoring/component-codec.js';
import type { MetricDefinition } from '../scoring/types.js';
import { loadGroupResolvers } from './load-group-resolvers.js';

export interface WeakestGroup {
  group: ScoreGroup;
  label: string;
  score: number;
}

export interface SnapshotComponents {
  accountId: number;
  modelVersionId: number;
  components: unknown;
}

/** Account id → its weakest group (absent when no group has a sub-score). */
export async function findWeakestGroups(prisma: Prisma, snapshots: readonly SnapshotComponents[], metrics: ReadonlyMap<string, Pick<MetricDefinition, 'category'>>): Promise<Map<number, WeakestGroup>> {
  const result = new Map<number, WeakestGroup>();
  if (snapshots.length === 0) return result;
  const resolverFor = await loadGroupResolvers(prisma, snapshots.map((s) => s.modelVersionId), metrics);
  for (const s of snapshots) {
    const weakest = weakestGroup(computeGroupScores(decodeComponents(s.components), resolverFor(s.modelVersionId)));
    if (weakest && weakest.score !== null) result.set(s.accountId, { group: weakest.group, label: GROUP_LABEL[weakest.group], score: weakest.score });
  }
  return result;
}
