// Turns the admin modal's submitted state into a candidate model, with errors
// keyed by block id so Slack shows each one beside its field. Every problem
// shows in one round: a field that does not parse (or breaks the schema) is
// reported, then its stored value stands in for it while the model-level
// checks (cut-offs in order, good ≠ poor, not all weights zero) still run.
import { z } from 'zod';
import { DEFAULT_MODELS } from '../scoring/default-models.js';
import { modelDefinitionSchema, validateModel, type ModelIssue } from '../scoring/model-schema.js';
import { MEASURE_GROUPS, type Measure, type ModelDefinition, type ModelVersion } from '../scoring/types.js';
import { TUNING_BLOCK_IDS as IDS, TUNING_INPUT_ACTION_ID, type CutoffField, type MeasureField } from '../slack/ids.js';
import { MAX_TUNABLE_MEASURES, NEW_MEASURE_WEIGHT } from './tuning-limits.js';

export const viewStateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({
      type: z.string(),
      value: z.string().nullable().optional(),
      selected_options: z.array(z.object({ value: z.string() })).optional(),
      selected_option: z.object({ value: z.string() }).nullable().optional(),
    }),
  ),
);
export type ViewState = z.infer<typeof viewStateSchema>;

export type TuningForm =
  | { ok: true; definition: ModelDefinition; note: string }
  /** `draft` is what the form held, stored values standing in for unreadable ones: a modal can be rebuilt from it. */
  | { ok: false; errors: Record<string, string>; draft: ModelDefinition };

const MEASURE_FIELDS: readonly MeasureField[] = ['weight', 'good', 'poor'];
const CUTOFF_FIELDS: readonly CutoffField[] = ['healthyMin', 'watchMin', 'atRiskMin'];

function readText(state: ViewState, blockId: string): string | null {
  const value = state[blockId]?.[TUNING_INPUT_ACTION_ID]?.value;
  return value === undefined || value === null ? null : value.trim();
}

function readSelected(state: ViewState, blockId: string): string[] {
  return (state[blockId]?.[TUNING_INPUT_ACTION_ID]?.selected_options ?? []).map((o) => o.value);
}

function readSelectedOne(state: ViewState, blockId: string): string | null {
  return state[blockId]?.[TUNING_INPUT_ACTION_ID]?.selected_option?.value ?? null;
}

/** The "group" select's value for "back to the metric's category". */
export const DEFAULT_GROUP_OPTION = 'category';

/** Moves the measures picked under "Regroup measures" into the chosen group; others keep theirs. */
function applyRegroup(state: ViewState, measures: Measure[], errors: Record<string, string>): void {
  const picked = new Set(readSelected(state, IDS.regroupMeasures));
  const target = readSelectedOne(state, IDS.regroupTo);
  if (picked.size === 0) {
    if (target !== null) errors[IDS.regroupMeasures] = 'pick the measures to move into this group';
    return;
  }
  if (target === null) {
    errors[IDS.regroupTo] = 'pick the group to move the selected measures into';
    return;
  }
  const group = target === DEFAULT_GROUP_OPTION ? null : MEASURE_GROUPS.find((g) => g === target);
  if (group === undefined) {
    errors[IDS.regroupTo] = `unknown group “${target.slice(0, 30)}”: use one of ${MEASURE_GROUPS.join(', ')}`;
    return;
  }
  for (const measure of measures) if (picked.has(measure.metricKey)) measure.group = group;
}

function parseNumber(text: string): number {
  const normalised = text.replace(',', '.');
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(normalised) ? Number(normalised) : Number.NaN;
}

/** Default thresholds for a measure added from the catalogue, or null when there are none. */
export function measureTemplate(metricKey: string): Measure | null {
  const template = DEFAULT_MODELS.flatMap((d) => d.measures).find((m) => m.metricKey === metricKey);
  return template ? { ...template, weight: NEW_MEASURE_WEIGHT } : null;
}

/**
 * `measureKeys` are the measures the modal shows: the stored model's at first,
 * the candidate's after a preview (which may have added or removed some).
 */
export function readTuningForm(
  state: ViewState,
  base: ModelVersion,
  knownMetricKeys: ReadonlySet<string>,
  measureKeys: readonly string[] = base.measures.map((m) => m.metricKey),
): TuningForm {
  const errors: Record<string, string> = {};
  const stored = new Map(base.measures.map((m) => [m.metricKey, m]));
  const removed = new Set(readSelected(state, IDS.remove));

  const measures: Measure[] = [];
  for (const metricKey of measureKeys) {
    if (removed.has(metricKey) || measures.some((m) => m.metricKey === metricKey)) continue;
    const fallback = stored.get(metricKey) ?? measureTemplate(metricKey);
    const measure: Measure = { metricKey, weight: Number.NaN, good: Number.NaN, poor: Number.NaN };
    for (const field of MEASURE_FIELDS) {
      const blockId = IDS.measure(metricKey, field);
      const text = readText(state, blockId);
      const value = text === null ? Number.NaN : parseNumber(text);
      if (Number.isFinite(value)) measure[field] = value;
      else {
        if (text !== null) errors[blockId] = `“${text.slice(0, 30)}” is not a number`;
        else if (!fallback) errors[blockId] = 'enter a number';
        measure[field] = fallback?.[field] ?? 0;
      }
    }
    measures.push(measure);
  }
  for (const metricKey of readSelected(state, IDS.add)) {
    if (measures.some((m) => m.metricKey === metricKey) || removed.has(metricKey)) continue;
    const template = measureTemplate(metricKey);
    if (template) measures.push(template);
    else errors[IDS.add] = `“${metricKey.slice(0, 60)}” has no default thresholds; add it by importing a model file`;
  }
  applyRegroup(state, measures, errors);
  if (measures.length === 0) errors[IDS.remove] = 'a model needs at least one measure';
  if (measures.length > MAX_TUNABLE_MEASURES) {
    errors[readSelected(state, IDS.add).length > 0 ? IDS.add : IDS.remove] =
      `this form edits at most ${MAX_TUNABLE_MEASURES} measures (the model would have ${measures.length}): remove some, or use \`account-health model export|import\``;
  }

  const number = (blockId: string, fallback: number): number => {
    const text = readText(state, blockId);
    if (text === null) return fallback;
    const value = parseNumber(text);
    if (Number.isFinite(value)) return value;
    errors[blockId] = `“${text.slice(0, 30)}” is not a number`;
    return fallback;
  };
  const cutoffs = { ...base.cutoffs };
  for (const field of CUTOFF_FIELDS) cutoffs[field] = number(IDS.cutoff(field), base.cutoffs[field]);
  const definition: ModelDefinition = {
    key: base.key,
    name: base.name,
    segment: base.segment,
    cutoffs,
    minCompleteness: number(IDS.minCompleteness, base.minCompleteness * 100) / 100,
    alertConfig: base.alertConfig,
    measures,
  };

  // Round one: the schema (ranges, finiteness). Each offending field gets its
  // message and falls back to its stored value for round two.
  const schema = modelDefinitionSchema.safeParse(definition);
  if (!schema.success) {
    for (const issue of schema.error.issues) {
      const path = issue.path.join('.');
      recordIssue(errors, { path, message: issue.message }, measures);
      substituteStored(definition, path, base, stored);
    }
  }
  // Round two: the model-level checks, on values that are now all readable.
  const validation = validateModel(definition, knownMetricKeys);
  if (!validation.ok) for (const issue of validation.issues) recordIssue(errors, issue, measures);
  if (Object.keys(errors).length > 0 || !validation.ok) return { ok: false, errors, draft: definition };
  return { ok: true, definition: validation.model, note: readText(state, IDS.note) ?? '' };
}

/** A field's own message (e.g. "not a number") wins over a later one for the same block. */
function recordIssue(errors: Record<string, string>, issue: ModelIssue, measures: readonly Measure[]): void {
  errors[issuePathToBlock(issue.path, measures)] ??= issue.message;
}

function substituteStored(definition: ModelDefinition, path: string, base: ModelVersion, stored: ReadonlyMap<string, Measure>): void {
  const measure = /^measures\.(\d+)\.(weight|good|poor)$/.exec(path);
  if (measure) {
    const target = definition.measures[Number(measure[1])];
    const field = measure[2] as MeasureField;
    const fallback = target ? (stored.get(target.metricKey) ?? measureTemplate(target.metricKey)) : null;
    if (target && fallback) target[field] = fallback[field];
    return;
  }
  const cut = /^cutoffs\.(healthyMin|watchMin|atRiskMin)$/.exec(path);
  if (cut) definition.cutoffs[cut[1] as CutoffField] = base.cutoffs[cut[1] as CutoffField];
  else if (path === 'minCompleteness') definition.minCompleteness = base.minCompleteness;
}

function issuePathToBlock(path: string, measures: readonly Measure[]): string {
  const measure = /^measures\.(\d+)\.(weight|good|poor|metricKey)$/.exec(path);
  if (measure) {
    const m = measures[Number(measure[1])];
    const field = measure[2] === 'metricKey' ? 'weight' : (measure[2] as MeasureField);
    if (m) return IDS.measure(m.metricKey, field);
  }
  if (path === 'measures') return measures[0] ? IDS.measure(measures[0].metricKey, 'weight') : IDS.remove;
  const cut = /^cutoffs\.(healthyMin|watchMin|atRiskMin)$/.exec(path);
  if (cut) return IDS.cutoff(cut[1] as CutoffField);
  if (path === 'minCompleteness') return IDS.minCompleteness;
  return IDS.note;
}
