import { describe, expect, it } from 'vitest';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';
import { DEFAULT_MODELS } from '../../../src/scoring/default-models.js';
import { validateModel } from '../../../src/scoring/model-schema.js';

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
    ['unknown metric', { measures: [{ metricKey: 'moon_phase', weight: 1, good: 1, poor: 0 }] }, 'measures.0.metricKey', 'unknown metric "moon_phase"'],
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
