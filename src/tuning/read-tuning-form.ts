// Turns the admin modal's submitted state into a candidate model, with errors
// keyed by block id so Slack shows each one beside its field.
import { z } from 'zod';
import { DEFAULT_MODELS } from '../scoring/default-models.js';
import { validateModel } from '../scoring/model-schema.js';
import type { Measure, ModelDefinition, ModelVersion } from '../scoring/types.js';
import { blockIds, VALUE } from '../slack/views/tuning-modal.js';

export const viewStateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({
      type: z.string(),
      value: z.string().nullable().optional(),
      selected_options: z.array(z.object({ value: z.string() })).optional(),
    }),
  ),
);
export type ViewState = z.infer<typeof viewStateSchema>;

export const tuningMetadataSchema = z.object({ modelKey: z.string().min(1).max(40), baseVersion: z.number().int().min(1) });

export type TuningForm = { ok: true; definition: ModelDefinition; note: string } | { ok: false; errors: Record<string, string> };

const NEW_MEASURE_WEIGHT = 5;

function readText(state: ViewState, blockId: string): string | null {
  const value = state[blockId]?.[VALUE]?.value;
  return value === undefined || value === null ? null : value.trim();
}

function readSelected(state: ViewState, blockId: string): string[] {
  return (state[blockId]?.[VALUE]?.selected_options ?? []).map((o) => o.value);
}

export function readTuningForm(state: ViewState, base: ModelVersion, knownMetricKeys: ReadonlySet<string>): TuningForm {
  const errors: Record<string, string> = {};
  const num = (blockId: string, fallback: number): number => {
    const text = readText(state, blockId);
    if (text === null) return fallback;
    const value = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text.replace(',', '.')) ? Number(text.replace(',', '.')) : Number.NaN;
    if (!Number.isFinite(value)) errors[blockId] = `“${text.slice(0, 30)}” is not a number`;
    return value;
  };
  const removed = new Set(readSelected(state, blockIds.remove));
  const measures: Measure[] = base.measures
    .filter((m) => !removed.has(m.metricKey))
    .map((m) => ({
      metricKey: m.metricKey,
      weight: num(blockIds.measure(m.metricKey, 'weight'), m.weight),
      good: num(blockIds.measure(m.metricKey, 'good'), m.good),
      poor: num(blockIds.measure(m.metricKey, 'poor'), m.poor),
    }));
  for (const key of readSelected(state, blockIds.add)) {
    if (measures.some((m) => m.metricKey === key)) continue;
    const template = DEFAULT_MODELS.flatMap((d) => d.measures).find((m) => m.metricKey === key);
    if (!template) {
      errors[blockIds.add] = `“${key}” has no default thresholds; add it by importing a model file`;
      continue;
    }
    measures.push({ ...template, weight: NEW_MEASURE_WEIGHT });
  }
  if (measures.length === 0) errors[blockIds.remove] = 'a model needs at least one measure';
  const completenessPct = num(blockIds.minCompleteness, base.minCompleteness * 100);
  const definition = {
    key: base.key,
    name: base.name,
    segment: base.segment,
    cutoffs: { healthyMin: num(blockIds.cutoff('healthyMin'), base.cutoffs.healthyMin), watchMin: num(blockIds.cutoff('watchMin'), base.cutoffs.watchMin), atRiskMin: num(blockIds.cutoff('atRiskMin'), base.cutoffs.atRiskMin) },
    minCompleteness: completenessPct / 100,
    alertConfig: base.alertConfig,
    measures,
  };
  // Validate even when some fields did not parse, so every problem shows at once;
  // a field's own parse message wins over the model-level one.
  const validation = validateModel(definition, knownMetricKeys);
  if (!validation.ok || Object.keys(errors).length > 0) {
    for (const issue of validation.ok ? [] : validation.issues) {
      const blockId = issuePathToBlock(issue.path, measures);
      errors[blockId] ??= issue.message;
    }
    return { ok: false, errors };
  }
  return { ok: true, definition: validation.model, note: readText(state, blockIds.note) ?? '' };
}

function issuePathToBlock(path: string, measures: readonly Measure[]): string {
  const measure = /^measures\.(\d+)\.(weight|good|poor|metricKey)$/.exec(path);
  if (measure) {
    const m = measures[Number(measure[1])];
    const field = measure[2] === 'metricKey' ? 'weight' : (measure[2] as 'weight' | 'good' | 'poor');
    if (m) return blockIds.measure(m.metricKey, field);
  }
  if (path === 'measures') return measures[0] ? blockIds.measure(measures[0].metricKey, 'weight') : blockIds.remove;
  const cut = /^cutoffs\.(healthyMin|watchMin|atRiskMin)$/.exec(path);
  if (cut) return blockIds.cutoff(cut[1] as 'healthyMin' | 'watchMin' | 'atRiskMin');
  if (path === 'minCompleteness') return blockIds.minCompleteness;
  return blockIds.note;
}
