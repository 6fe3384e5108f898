// Which group of measures fell most between an alert's baseline and its latest
// snapshot ("engagement fell 40 points"), read from the two stored snapshots so
// alerts raised before groups existed explain themselves the same way.
import type { Prisma } from '../db/database.js';
import { loadGroupResolvers } from '../reports/load-group-resolvers.js';
import { decodeComponents } from '../scoring/component-codec.js';
import { computeGroupScores, groupChanges, groupThatFellMost, GROUP_LABEL } from '../scoring/group-scores.js';
import type { MetricDefinition } from '../scoring/types.js';

export interface GroupFall {
  label: string;
  before: number;
  after: number;
}

interface StoredSnapshot {
  modelVersionId: number;
  components: unknown;
}

export async function findGroupFall(
  prisma: Prisma,
  input: { accountId: number; baselineAsOf: string | null; current: StoredSnapshot | null },
  metrics: ReadonlyMap<string, Pick<MetricDefinition, 'category'>>,
): Promise<GroupFall | null> {
  if (!input.current || !input.baselineAsOf) return null;
  const baseline = await prisma.scoreSnapshot.findUnique({
    where: { accountId_asOf: { accountId: input.accountId, asOf: new Date(input.baselineAsOf) } },
    select: { modelVersionId: true, components: true },
  });
  if (!baseline) return null;
  const resolverFor = await loadGroupResolvers(prisma, [baseline.modelVersionId, input.current.modelVersionId], metrics);
  const then = computeGroupScores(decodeComponents(baseline.components), resolverFor(baseline.modelVersionId));
  const now = computeGroupScores(decodeComponents(input.current.components), resolverFor(input.current.modelVersionId));
  const fell = groupThatFellMost(groupChanges(now, then));
  if (!fell || fell.change === null) return null;
  const after = now.find((g) => g.group === fell.group)?.score ?? null;
  if (after === null) return null;
  return { label: GROUP_LABEL[fell.group], before: Math.round((after - fell.change) * 10) / 10, after };
}
