// Validation of model definitions wherever they enter: admin modals, JSON
// import, the database. Issues carry a path (`measures.2.weight`,
// `cutoffs.watchMin`) so a Slack modal can put each message beside its field.
// Objects are strict: a misspelt key ("wieght") is an error, not a setting
// silently dropped.
import { z } from 'zod';
import { customMetricSchema } from './catalogue.js';
import { normaliseSegment } from './segment-name.js';
import { MEASURE_GROUPS, type ModelDefinition } from './types.js';

const finite = (what: string) => z.number({ error: `${what} must be a number` }).finite(`${what} must be a finite number`);

/** Names an unknown key, with the known key it most resembles. */
function strictKeys(known: readonly string[]) {
  return (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    return issue.keys
      .map((key) => {
        const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
        return `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}`;
      })
      .join('; ');
  };
}

function strict<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, { error: strictKeys(Object.keys(shape)) });
}

export const measureSchema = strict({
  metricKey: z.string().min(1, 'metric is required'),
  weight: finite('weight').min(0, 'weight must be 0 or more'),
  good: finite('good threshold'),
  poor: finite('poor threshold'),
  // Left out: a save keeps the group the measure had (Slack's form does not edit groups).
  group: z.enum(MEASURE_GROUPS, { error: `group must be one of ${MEASURE_GROUPS.join(', ')}, or null` }).nullable().optional(),
});

/** Lenient: reads alert settings stored in the database, where older rows may carry retired keys. */
export const alertRuleConfigSchema = z.object({
  bandWorsens: z.boolean(),
  dropPoints: finite('dropPoints').min(1).max(100),
  dropDays: z.number().int().min(1).max(365),
  measureCrossesPoor: z.boolean(),
  renewalDays: z.number().int().min(0).max(730),
  hysteresisPoints: finite('hysteresisPoints').min(0).max(20),
  escalateAfterHours: finite('escalateAfterHours').min(1).max(24 * 30),
});

const cutoff = (what: string) => finite(what).min(0, 'cut-offs are between 0 and 100').max(100, 'cut-offs are between 0 and 100');

const segmentSchema = z
  .string({ error: 'segment must be text, or null for the default model' })
  .transform((value, ctx) => {
    const name = normaliseSegment(value);
    if (name.ok) return name.value;
    ctx.addIssue({ code: 'custom', message: name.error });
    return z.NEVER;
  })
  .nullable();

export const modelDefinitionSchema = strict({
  key: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'model keys are lower-case letters, digits and dashes'),
  name: z.string().trim().min(1, 'name is required').max(60),
  segment: segmentSchema,
  cutoffs: strict({ healthyMin: cutoff('healthy cut-off'), watchMin: cutoff('watch cut-off'), atRiskMin: cutoff('at-risk cut-off') }),
  minCompleteness: finite('minimum completeness').min(0, 'minimum completeness is between 0 and 1').max(1, 'minimum completeness is between 0 and 1'),
  alertConfig: strict(alertRuleConfigSchema.shape),
  measures: z.array(measureSchema).min(1, 'a model needs at least one measure').max(40, 'a model has at most 40 measures'),
  // Definitions of the non-built-in metrics the measures use, so a model file is self-contained.
  customMetrics: z.array(customMetricSchema).max(40).optional(),
});

export const MODEL_EXPORT_FORMAT = 'account-health/model@1';
export const modelExportSchema = strict({ format: z.literal(MODEL_EXPORT_FORMAT, { error: `format must be "${MODEL_EXPORT_FORMAT}"` }), model: modelDefinitionSchema });

export interface ModelIssue {
  path: string;
  message: string;
}

export type ModelValidation = { ok: true; model: ModelDefinition } | { ok: false; issues: ModelIssue[] };

/** zod issues as paths and messages; an unknown key's path names the key itself. */
export function toModelIssues(error: z.ZodError): ModelIssue[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.join('.');
    if (issue.code !== 'unrecognized_keys') return [{ path: at, message: issue.message }];
    const messages = issue.message.split('; ');
    return issue.keys.map((key, i) => ({ path: at ? `${at}.${key}` : key, message: messages[i] ?? `unknown field "${key}"` }));
  });
}

export function validateModel(input: unknown, knownMetricKeys: ReadonlySet<string>): ModelValidation {
  const parsed = modelDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: toModelIssues(parsed.error) };
  const model = parsed.data;
  const issues: ModelIssue[] = [];
  const known = new Set([...knownMetricKeys, ...(model.customMetrics ?? []).map((m) => m.key)]);
  const seen = new Set<string>();
  model.measures.forEach((measure, i) => {
    if (!known.has(measure.metricKey)) issues.push({ path: `measures.${i}.metricKey`, message: `unknown metric "${measure.metricKey}" (add it with \`account-health metric add\`, or define it under customMetrics)` });
    if (seen.has(measure.metricKey)) issues.push({ path: `measures.${i}.metricKey`, message: `"${measure.metricKey}" appears twice` });
    seen.add(measure.metricKey);
    if (measure.good === measure.poor) issues.push({ path: `measures.${i}.good`, message: 'good and poor thresholds must differ' });
  });
  if (model.measures.every((m) => m.weight === 0)) issues.push({ path: 'measures', message: 'all weights are zero: at least one must be above 0' });
  const { healthyMin, watchMin, atRiskMin } = model.cutoffs;
  if (!(watchMin < healthyMin)) issues.push({ path: 'cutoffs.watchMin', message: 'the watch cut-off must be below the healthy cut-off' });
  if (!(atRiskMin < watchMin)) issues.push({ path: 'cutoffs.atRiskMin', message: 'the at-risk cut-off must be below the watch cut-off' });
  // Only "default" scores accounts without a segment model; any other model is found by its segment.
  if (model.key === 'default' && model.segment !== null) issues.push({ path: 'segment', message: 'the default model has no segment (use null)' });
  if (model.key !== 'default' && model.segment === null) {
    issues.push({ path: 'segment', message: `model "${model.key}" needs a segment: it scores the accounts of that segment (only "default" has none)` });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, model };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
