// Which accounts a model judges: its segment's accounts, or — for the default
// model — every account whose segment has no model of its own.
import type { Prisma } from '../db/database.js';
import type { ActiveModels } from '../models/model-store.js';

export async function accountsInScope(
  prisma: Prisma,
  models: ActiveModels,
  modelKey: string,
  filter: { churned: 'only' | 'exclude' | 'any' },
): Promise<{ id: number; name: string; segment: string | null; renewalDate: Date | null; churnedOn: Date | null }[]> {
  const model = models.byKey.get(modelKey);
  if (!model) return [];
  const segmentsWithModels = [...models.byKey.values()].map((m) => m.segment).filter((s): s is string => s !== null);
  const churned = filter.churned === 'only' ? { churnedOn: { not: null } } : filter.churned === 'exclude' ? { churnedOn: null } : {};
  return prisma.account.findMany({
    where: {
      ...churned,
      ...(model.segment !== null ? { segment: model.segment } : { OR: [{ segment: null }, { segment: { notIn: segmentsWithModels } }] }),
    },
    select: { id: true, name: true, segment: true, renewalDate: true, churnedOn: true },
    orderBy: { id: 'asc' },
  });
}
