// What a recomputation asks of derived metrics, in one call: derive this
// as-of's values from events, then find the measures nobody sends data for,
// so scoring leaves them out of the weights ("not scored: no source for …").
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { ActiveModels } from '../models/model-store.js';
import type { ModelVersion } from '../scoring/types.js';
import { deriveEventMetrics, findMetricsNotInUse } from './derive-metrics.js';

export type ModelsInUse = (models: ActiveModels) => Promise<ActiveModels>;

export async function deriveBeforeScoring(deps: { prisma: Prisma; logger?: Logger }, asOf: Date): Promise<ModelsInUse> {
  await deriveEventMetrics(deps.prisma, asOf, deps.logger ? { logger: deps.logger } : {});
  return async (models) => {
    const keys = [...new Set([...models.byKey.values()].flatMap((m) => m.measures.map((x) => x.metricKey)))];
    return withoutUnusedMeasures(models, await findMetricsNotInUse(deps.prisma, keys));
  };
}

/**
 * A measure not in use keeps its place in the model with weight 0: it adds
 * nothing to the score or to completeness, and the breakdown can still name it.
 * A model none of whose measures is in use is left as it is (nothing to score).
 */
export function withoutUnusedMeasures(models: ActiveModels, notInUse: ReadonlySet<string>): ActiveModels {
  if (notInUse.size === 0) return models;
  const adjust = (m: ModelVersion): ModelVersion => {
    if (m.measures.every((x) => notInUse.has(x.metricKey) || x.weight === 0)) return m;
    return { ...m, measures: m.measures.map((x) => (notInUse.has(x.metricKey) ? { ...x, weight: 0 } : x)) };
  };
  const adjusted = new Map<ModelVersion, ModelVersion>();
  const of = (m: ModelVersion) => {
    let a = adjusted.get(m);
    if (!a) adjusted.set(m, (a = adjust(m)));
    return a;
  };
  return { byKey: new Map([...models.byKey].map(([k, m]) => [k, of(m)])), forSegment: (segment) => of(models.forSegment(segment)) };
}
