import { describe, expect, it } from 'vitest';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';
import { DEFAULT_MODELS } from '../../../src/scoring/default-models.js';
import { MODEL_EXPORT_FORMAT, modelExportSchema, toModelIssues, validateModel } from '../../../src/scoring/model-schema.js';

const known = new Set(BUILT_IN_METRICS.map((m) => m.key));
const base = DEFAULT_MODELS[0];
if (!base) throw new Error('default model missing');

describe('validateModel', () => {
  it('accepts every seeded model', () => {
    for (const model of DEFAULT_MODELS) expect(validateModel(model, known)).toMatchObject({ ok: true });
  });

  it.each([
    ['negative weight', { measures: base.measures.map((m, i) => (i === 2 ? { ...m, weight: -1 } : m)) }, 'measures.2.weight', 'weight must be 0 or more'],
    ['all-zero weights', { measures: base.measures.map((m) => ({ ...m, weight: 0 })) }, 'measures', 'all weights are zero: at least one must be above 0'],
    ['good equal to poor', { measures: base.measures.map((m, i) => (i === 1 ? { ...m, good: 5, poor: 5 } : m)) }, 'measures.1.good', 'good and poor thresholds must differ'],
    ['cut-offs out of order', { cutoffs: { healthyMin: 50, watchMin: 60, atRiskMin: 30 } }, 'cutoffs.watchMin', 'the watch cut-off must be below the healthy cut-off'],
    ['at-risk above watch', { cutoffs: { healthyMin: 80, watchMin: 40, atRiskMin: 45 } }, 'cutoffs.atRiskMin', 'the at-risk cut-off must be below the watch cut-off'],
    ['cut-off over 100', { cutoffs: { healthyMin: 120, watchMin: 40, atRiskMin: 20 } }, 'cutoffs.healthyMin', 'cut-offs are between 0 and 100'],
    ['unknown metric', { measures: [{ metricKey: 'moon_phase', weight: 1, good: 1, poor: 0 }] }, 'measures.0.metricKey', 'unknown metric "moon_phase" (add it with `account-health metric add`, or define it under customMetrics)'],
    ['duplicate metric', { measures: [base.measures[0], base.measures[0]] }, 'measures.1.metricKey', '"orders_30d" appears twice'],
    ['no measures', { measures: [] }, 'measures', 'a model needs at least one measure'],
    ['completeness above 1', { minCompleteness: 1.5 }, 'minCompleteness', 'minimum completeness is between 0 and 1'],
  ])('rejects %s with a message at its path', (_name, patch, path, message) => {
    const result = validateModel({ ...base, ...patch }, known);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual({ path, message });
  });

  it('rejects non-numeric input', () => {
    const result = validateModel({ ...base, measures: [{ metricKey: 'nps', weight: 'heavy', good: 1, poor: 0 }] }, known);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.path).toBe('measures.0.weight');
  });
});

describe('model files are strict and normalised', () => {
  const file = (model: Record<string, unknown>) => modelExportSchema.safeParse({ format: MODEL_EXPORT_FORMAT, model });

  it('refuses a misspelt key with its path and a suggestion instead of dropping it', () => {
    const measures = base.measures.map((m, i) => (i === 0 ? { ...m, wieght: 3 } : m));
    const result = validateModel({ ...base, measures }, known);
    expect(result).toEqual({ ok: false, issues: [{ path: 'measures.0.wieght', message: 'unknown field "wieght" (did you mean "weight"?)' }] });
    const top = file({ ...base, cutofs: base.cutoffs });
    expect(top.success).toBe(false);
    expect(top.error && toModelIssues(top.error)).toContainEqual({ path: 'model.cutofs', message: 'unknown field "cutofs" (did you mean "cutoffs"?)' });
    const alerts = validateModel({ ...base, alertConfig: { ...base.alertConfig, dropPoint: 5 } }, known);
    expect(alerts.ok).toBe(false);
  });

  it('accepts a group per measure, null, or none; refuses an unknown group', () => {
    const grouped = { ...base, measures: base.measures.map((m, i) => (i === 0 ? { ...m, group: 'transactional' } : i === 1 ? { ...m, group: null } : m)) };
    const result = validateModel(grouped, known);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.model.measures.slice(0, 3).map((m) => m.group)).toEqual(['transactional', null, undefined]);
    const bad = validateModel({ ...base, measures: [{ ...base.measures[0], group: 'finance' }] }, known);
    expect(bad).toMatchObject({ ok: false, issues: [{ path: 'measures.0.group' }] });
  });

  it('normalises the segment as account imports do, and ties segments to keys', () => {
    const startUp = validateModel({ ...base, key: 'startup', segment: 'Start Up' }, known);
    expect(startUp).toMatchObject({ ok: true, model: { segment: 'start-up' } });
    expect(validateModel({ ...base, key: 'other', segment: null }, known)).toEqual({
      ok: false,
      issues: [{ path: 'segment', message: 'model "other" needs a segment: it scores the accounts of that segment (only "default" has none)' }],
    });
    expect(validateModel({ ...base, key: 'default', segment: 'smb' }, known)).toEqual({ ok: false, issues: [{ path: 'segment', message: 'the default model has no segment (use null)' }] });
    expect(validateModel({ ...base, key: 'x', segment: ' -- ' }, known)).toMatchObject({ ok: false, issues: [{ path: 'segment', message: 'segment " -- " has no letters or digits' }] });
  });

  it('knows the custom metrics a model file defines', () => {
    const custom = { key: 'api_calls_30d', label: 'API calls (30 days)', unit: 'calls', direction: 'higher_is_better', category: 'engagement', freshnessDays: 30, description: '', minValue: 0, maxValue: null };
    const model = { ...base, measures: [...base.measures, { metricKey: 'api_calls_30d', weight: 5, good: 1000, poor: 100 }], customMetrics: [custom] };
    expect(validateModel(model, known).ok).toBe(true);
    expect(validateModel({ ...model, customMetrics: [{ ...custom, direction: 'up' }] }, known)).toMatchObject({ ok: false, issues: [{ path: 'customMetrics.0.direction' }] });
  });
});
