// Validation of model definitions wherever they enter: admin modals, JSON
// import, the database. Issues carry a path (`measures.2.weight`,
// `cutoffs.watchMin`) so a Slack modal can put each message beside its field.
import { z } from 'zod';
import type { ModelDefinition } from './types.js';

const finite = (what: string) => z.number({ error: `${what} must be a number` }).finite(`${what} must be a finite number`);

export const measureSchema = z.object({
  metricKey: z.string().min(1, 'metric is required'),
  weight: finite('weight').min(0, 'weight must be 0 or more'),
  good: finite('good threshold'),
  poor: finite('poor threshold'),
});

export const alertRuleConfigSchema = z.object({
  bandWorsens: z.boolean(),
  dropPoints: finite('dropPoints').min(1).max(100),
  dropDays: z.number().int().min(1).max(365),
  measureCrossesPoor: z.boolean(),
  renewalDays: z.number().int().min(0).max(730),
  hysteresisPoints: finite('hysteresisPoints').min(0).max(20),
  escalateAfterHours: finite('escalateAfterHours').min(1).max(24 * 30),
});

export const modelDefinitionSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'model keys are lower-case letters, digits and dashes'),
  name: z.string().trim().min(1, 'name is required').max(60),
  segment: z.string().trim().min(1).max(60).nullable(),
  cutoffs: z.object({
    healthyMin: finite('healthy cut-off').min(0, 'cut-offs are between 0 and 100').max(100, 'cut-offs are between 0 and 100'),
    watchMin: finite('watch cut-off').min(0, 'cut-offs are between 0 and 100').max(100, 'cut-offs are between 0 and 100'),
    atRiskMin: finite('at-risk cut-off').min(0, 'cut-offs are between 0 and 100').max(100, 'cut-offs are between 0 and 100'),
  }),
  minCompleteness: finite('minimum completeness').min(0, 'minimum completeness is between 0 and 1').max(1, 'minimum completeness is between 0 and 1'),
  alertConfig: alertRuleConfigSchema,
  measures: z.array(measureSchema).min(1, 'a model needs at least one measure').max(40, 'a model has at most 40 measures'),
});

export const MODEL_EXPORT_FORMAT = 'account-health/model@1';
export const modelExportSchema = z.object({ format: z.literal(MODEL_EXPORT_FORMAT), model: modelDefinitionSchema });

export interface ModelIssue {
  path: string;
  message: string;
}

export type ModelValidation = { ok: true; model: ModelDefinition } | { ok: false; issues: ModelIssue[] };

export function validateModel(input: unknown, knownMetricKeys: ReadonlySet<string>): ModelValidation {
  const parsed = modelDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const model = parsed.data;
  const issues: ModelIssue[] = [];
  const seen = new Set<string>();
  model.measures.forEach((measure, i) => {
    if (!knownMetricKeys.has(measure.metricKey)) issues.push({ path: `measures.${i}.metricKey`, message: `unknown metric "${measure.metricKey}"` });
    if (seen.has(measure.metricKey)) issues.push({ path: `measures.${i}.metricKey`, message: `"${measure.metricKey}" appears twice` });
    seen.add(measure.metricKey);
    if (measure.good === measure.poor) issues.push({ path: `measures.${i}.good`, message: 'good and poor thresholds must differ' });
  });
  if (model.measures.every((m) => m.weight === 0)) issues.push({ path: 'measures', message: 'all weights are zero: at least one must be above 0' });
  const { healthyMin, watchMin, atRiskMin } = model.cutoffs;
  if (!(watchMin < healthyMin)) issues.push({ path: 'cutoffs.watchMin', message: 'the watch cut-off must be below the healthy cut-off' });
  if (!(atRiskMin < watchMin)) issues.push({ path: 'cutoffs.atRiskMin', message: 'the at-risk cut-off must be below the watch cut-off' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, model };
}
