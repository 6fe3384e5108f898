// Reading the admin modal: every field error in one round, the measures the
// modal actually shows (after a preview), and the per-model measure cap.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';
import { DEFAULT_MODELS } from '../../../src/scoring/default-models.js';
import type { ModelVersion } from '../../../src/scoring/types.js';
import { TUNING_BLOCK_IDS as IDS } from '../../../src/slack/ids.js';
import { readTuningForm, type ViewState } from '../../../src/tuning/read-tuning-form.js';
import { MAX_TUNABLE_MEASURES } from '../../../src/tuning/tuning-limits.js';

const base: ModelVersion = { ...DEFAULT_MODELS[0]!, versionId: 1, version: 1 };
const known = new Set(BUILT_IN_METRICS.map((m) => m.key));

/** Every input at its stored value, with `changes` applied, as Slack submits it. */
function state(model: ModelVersion, changes: Record<string, string> = {}, selections: Record<string, string[]> = {}): ViewState {
  const values: ViewState = {};
  const text = (id: string, value: number) => {
    values[id] = { value: { type: 'plain_text_input', value: changes[id] ?? String(value) } };
  };
  for (const m of model.measures) for (const f of ['weight', 'good', 'poor'] as const) text(IDS.measure(m.metricKey, f), m[f]);
  for (const f of ['healthyMin', 'watchMin', 'atRiskMin'] as const) text(IDS.cutoff(f), model.cutoffs[f]);
  text(IDS.minCompleteness, model.minCompleteness * 100);
  for (const [id, value] of Object.entries(changes)) values[id] ??= { value: { type: 'plain_text_input', value } };
  for (const [id, selected] of Object.entries(selections)) values[id] = { value: { type: 'multi_static_select', selected_options: selected.map((value) => ({ value })) } };
  return values;
}

describe('readTuningForm', () => {
  it('reads an unchanged form back as the stored model', () => {
    const form = readTuningForm(state(base), base, known);
    expect(form).toMatchObject({ ok: true, note: '' });
    if (form.ok) expect(form.definition.measures).toEqual(base.measures);
  });

  it('reports every field error in one round: unreadable fields stand in with stored values while the model-level checks run', () => {
    const form = readTuningForm(state(base, {
      'm:orders_30d:weight': '-3',
      'm:nps:good': 'lots',
      'm:nps:weight': 'x',
      'm:csat:good': '70',
      'm:csat:poor': '70',
      'cut:watchMin': '90',
      'cut:atRiskMin': 'abc',
      min_completeness: '250',
    }), base, known);
    expect(form.ok).toBe(false);
    if (!form.ok) {
      expect(form.errors).toEqual({
        'm:orders_30d:weight': 'weight must be 0 or more',
        'm:nps:good': '“lots” is not a number',
        'm:nps:weight': '“x” is not a number',
        'm:csat:good': 'good and poor thresholds must differ',
        'cut:watchMin': 'the watch cut-off must be below the healthy cut-off',
        'cut:atRiskMin': '“abc” is not a number',
        min_completeness: 'minimum completeness is between 0 and 1',
      });
      // The draft keeps what could be read and stored values elsewhere, so a modal can be rebuilt from it.
      expect(form.draft.measures.find((m) => m.metricKey === 'nps')).toEqual({ metricKey: 'nps', weight: 10, good: 50, poor: -20 });
      expect(form.draft.cutoffs).toEqual({ healthyMin: 75, watchMin: 90, atRiskMin: 35 });
    }
  });

  it('still finds all-zero weights when another field is unreadable', () => {
    const zero = Object.fromEntries(base.measures.map((m) => [IDS.measure(m.metricKey, 'weight'), '0']));
    const form = readTuningForm(state(base, { ...zero, 'm:csat:poor': '?' }), base, known);
    expect(form).toMatchObject({ ok: false, errors: { 'm:orders_30d:weight': 'all weights are zero: at least one must be above 0', 'm:csat:poor': '“?” is not a number' } });
  });

  it('reads the measures the modal shows (a preview\'s candidate), not the stored list', () => {
    const withoutNps = base.measures.filter((m) => m.metricKey !== 'nps').map((m) => m.metricKey);
    const removed = readTuningForm(state({ ...base, measures: base.measures.filter((m) => m.metricKey !== 'nps') }), base, known, withoutNps);
    expect(removed.ok && removed.definition.measures.map((m) => m.metricKey)).toEqual(withoutNps);

    const stored = { ...base, measures: base.measures.filter((m) => m.metricKey !== 'nps') };
    const shown = { ...stored, measures: [...stored.measures, { metricKey: 'nps', weight: 5, good: 50, poor: -20 }] };
    const added = readTuningForm(state(shown, { 'm:nps:weight': '7', 'm:nps:good': '40' }), stored, known, shown.measures.map((m) => m.metricKey));
    expect(added.ok && added.definition.measures.find((m) => m.metricKey === 'nps')).toEqual({ metricKey: 'nps', weight: 7, good: 40, poor: -20 });
  });

  it('removes and adds measures chosen in the multi-selects, for any measure (not only the first ten)', () => {
    const last = base.measures.at(-1)!.metricKey;
    const removed = readTuningForm(state(base, {}, { [IDS.remove]: [last, 'orders_30d'] }), base, known);
    expect(removed.ok && removed.definition.measures.map((m) => m.metricKey)).toEqual(base.measures.map((m) => m.metricKey).filter((k) => k !== last && k !== 'orders_30d'));
    const stored = { ...base, measures: base.measures.slice(1) };
    const added = readTuningForm(state(stored, {}, { [IDS.add]: ['orders_30d'] }), stored, known);
    expect(added.ok && added.definition.measures.at(-1)).toEqual({ metricKey: 'orders_30d', weight: 5, good: 20, poor: 4 });
  });

  it('refuses to remove every measure, beside the remove field', () => {
    const form = readTuningForm(state(base, {}, { [IDS.remove]: base.measures.map((m) => m.metricKey) }), base, known);
    expect(form).toMatchObject({ ok: false, errors: { [IDS.remove]: 'a model needs at least one measure' } });
  });

  it(`caps a model at ${MAX_TUNABLE_MEASURES} measures with an inline error on the add field`, () => {
    const custom = Array.from({ length: MAX_TUNABLE_MEASURES }, (_, i) => ({ metricKey: `custom_${i}`, weight: 1, good: 10, poor: 0 }));
    const full: ModelVersion = { ...base, measures: custom };
    const knownAll = new Set([...known, ...custom.map((m) => m.metricKey)]);
    expect(readTuningForm(state(full), full, knownAll).ok).toBe(true);
    const form = readTuningForm(state(full, {}, { [IDS.add]: ['orders_30d'] }), full, knownAll);
    expect(form.ok).toBe(false);
    if (!form.ok) expect(form.errors[IDS.add]).toMatch(new RegExp(`at most ${MAX_TUNABLE_MEASURES} measures \\(the model would have ${MAX_TUNABLE_MEASURES + 1}\\)`));
  });
});
