// What a recomputation asks of derived metrics, in one call: derive this
// as-of's values from events, then find the measures nobody sends data for,
// so scoring leaves them out of the weights ("not scored: no source for …").
// Whatever else scores a model beside the live run (the shadow step) goes
// through the same two functions below, so the two never disagree on a weight.
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { ActiveModels } from '../models/model-store.js';
import type { ModelDefinition, ModelVersion } from '../scoring/types.js';
import { deriveEventMetrics, findMetricsNotInUse } from './derive-metrics.js';

export type ModelsInUse = (models: ActiveModels) => Promise<ActiveModels>;

export async function deriveBeforeScoring(deps: { prisma: Prisma; logger?: Logger }, asOf: Date): Promise<ModelsInUse> {
  await deriveEventMetrics(deps.prisma, asOf, deps.logger ? { logger: deps.logger } : {});
  return async (models) => withoutUnusedMeasures(models, await measuresNotInUse(deps.prisma, models.byKey.values()));
}

/** The metrics these models measure that nothing feeds (no observation at all, no renewal date for days_to_renewal). */
export async function measuresNotInUse(prisma: Pick<Prisma, '$queryRaw'>, models: Iterable<Pick<ModelDefinition, 'measures'>>): Promise<Set<string>> {
  const keys = [...new Set([...models].flatMap((m) => m.measures.map((x) => x.metricKey)))];
  return findMetricsNotInUse(prisma, keys);
}

/**
 * A measure not in use keeps its place in the model with weight 0: it adds
 * nothing to the score or to completeness, and the breakdown can still name it.
 * A model none of whose measures is in use is left as it is (nothing to score).
 */
export function definitionInUse<M extends Pick<ModelDefinition, 'measures'>>(model: M, notInUse: ReadonlySet<string>): M {
  if (notInUse.size === 0 || model.measures.every((x) => notInUse.has(x.metricKey) || x.weight === 0)) return model;
  return { ...model, measures: model.measures.map((x) => (notInUse.has(x.metricKey) ? { ...x, weight: 0 } : x)) };
}

/** definitionInUse over the active models, each version adjusted once however many keys and segments share it. */
export function withoutUnusedMeasures(models: ActiveModels, notInUse: ReadonlySet<string>): ActiveModels {
  if (notInUse.size === 0) return models;
  const adjusted = new Map<ModelVersion, ModelVersion>();
  const of = (m: ModelVersion) => {
    let a = adjusted.get(m);
    if (!a) adjusted.set(m, (a = definitionInUse(m, notInUse)));
    return a;
  };
  return { byKey: new Map([...models.byKey].map(([k, m]) => [k, of(m)])), forSegment: (segment) => of(models.forSegment(segment)) };
}
