// What the admin modal edits: the models to choose from, the chosen model's
// current version, and the metric catalogue (for labels and measures to add).
// Fast (a few small queries), so the modal can open before the slow figures.
import type { Prisma } from '../db/database.js';
import { loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import type { MetricDefinition, ModelVersion } from '../scoring/types.js';

export interface TuningModel {
  models: { key: string; name: string; version: number }[];
  model: ModelVersion;
  catalogue: MetricDefinition[];
}

/** An unknown key (a model deleted meanwhile) falls back to the default model. */
export async function loadTuningModel(prisma: Prisma, modelKey: string): Promise<TuningModel> {
  const [models, metrics] = await Promise.all([loadActiveModels(prisma), loadMetricDefinitions(prisma)]);
  return {
    models: [...models.byKey.values()].map((m) => ({ key: m.key, name: m.name, version: m.version })),
    model: models.byKey.get(modelKey) ?? models.forSegment(null),
    catalogue: [...metrics.values()],
  };
}
