// `model suggest` and "Suggest from outcomes": the model's outcomes → the fair
// dataset → the calibration maths → a candidate model (thresholds and cut-offs
// unchanged, weights learned) and its evidence. Nothing is saved here.
import { suggestWeights } from '../calibration/suggest-weights.js';
import type { CalibrationSettings, Suggestion } from '../calibration/types.js';
import type { Prisma } from '../db/database.js';
import { loadActiveModels, loadMetricDefinitions, saveModelVersion, stripVersion, UnknownModelError, type SavedModel } from '../models/model-store.js';
import type { ModelDefinition, ModelVersion } from '../scoring/types.js';
import { buildDataset } from './build-dataset.js';
import { loadOutcomes } from './load-outcomes.js';

export const DEFAULT_LEAD_DAYS = 90;

export interface ModelSuggestion {
  model: ModelVersion;
  leadDays: number;
  /** Outcomes known for the model's accounts, before any was left out. */
  outcomes: number;
  excluded: { churned: number; renewed: number };
  notYetDue: number;
  suggestion: Suggestion;
  /** The current model with the suggested weights; null when there is no suggestion. */
  candidate: ModelDefinition | null;
}

export interface SuggestOptions {
  leadDays?: number;
  now: Date;
  settings?: Partial<CalibrationSettings>;
}

export async function suggestForModel(prisma: Prisma, modelKey: string, options: SuggestOptions): Promise<ModelSuggestion> {
  const leadDays = options.leadDays ?? DEFAULT_LEAD_DAYS;
  const models = await loadActiveModels(prisma);
  const model = models.byKey.get(modelKey);
  if (!model) throw new UnknownModelError(modelKey);
  const [metrics, known] = await Promise.all([loadMetricDefinitions(prisma), loadOutcomes(prisma, models, modelKey)]);
  const dataset = await buildDataset(prisma, model, metrics, known.outcomes, known.accounts, leadDays, options.now);
  const suggestion = suggestWeights({ measures: dataset.measures, rows: dataset.rows, cutoffs: model.cutoffs, minCompleteness: model.minCompleteness, ...(options.settings ? { settings: options.settings } : {}) });
  return {
    model,
    leadDays,
    outcomes: known.outcomes.length,
    excluded: dataset.excluded,
    notYetDue: dataset.notYetDue,
    suggestion,
    candidate: suggestion.weights ? withWeights(stripVersion(model), suggestion.weights) : null,
  };
}

/** The model with new weights; measures whose weight is now 0 are left out. */
export function withWeights(model: ModelDefinition, weights: ReadonlyMap<string, number>): ModelDefinition {
  return { ...model, measures: model.measures.flatMap((m) => {
    const weight = weights.get(m.metricKey) ?? 0;
    return weight > 0 ? [{ ...m, weight }] : [];
  }) };
}

/** Saves the candidate as a new audited version, refused if the model changed since the suggestion. */
export async function applySuggestion(prisma: Prisma, s: ModelSuggestion, actor: string): Promise<SavedModel> {
  if (!s.candidate) throw new Error('there is no suggestion to apply');
  const note = `weights suggested from ${s.suggestion.churned} churned and ${s.suggestion.renewed} renewed outcomes, ${s.leadDays} days before each (confidence ${s.suggestion.confidence})`;
  return saveModelVersion(prisma, { definition: s.candidate, actor, note, expectedVersion: s.model.version });
}
