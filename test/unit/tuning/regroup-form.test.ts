// The admin modal edits measure groups: picked measures move into the chosen
// group (or back to their metric's category); half a choice is refused beside its field.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';
import { DEFAULT_MODELS } from '../../../src/scoring/default-models.js';
import type { ModelVersion } from '../../../src/scoring/types.js';
import { TUNING_BLOCK_IDS as IDS, TUNING_INPUT_ACTION_ID } from '../../../src/slack/ids.js';
import { tuningModal } from '../../../src/slack/views/tuning-modal.js';
import { DEFAULT_GROUP_OPTION, readTuningForm, type ViewState } from '../../../src/tuning/read-tuning-form.js';

const stored: ModelVersion = { ...DEFAULT_MODELS[0]!, versionId: 1, version: 1 };
const base: ModelVersion = { ...stored, measures: stored.measures.map((m) => (m.metricKey === 'nps' ? { ...m, group: 'relationship' as const } : m)) };
const known = new Set(BUILT_IN_METRICS.map((m) => m.key));

function state(regroup: string[] | null, to: string | null): ViewState {
  const values: ViewState = {};
  for (const m of base.measures) for (const f of ['weight', 'good', 'poor'] as const) values[IDS.measure(m.metricKey, f)] = { [TUNING_INPUT_ACTION_ID]: { type: 'plain_text_input', value: String(m[f]) } };
  if (regroup) values[IDS.regroupMeasures] = { [TUNING_INPUT_ACTION_ID]: { type: 'multi_static_select', selected_options: regroup.map((value) => ({ value })) } };
  if (to !== null) values[IDS.regroupTo] = { [TUNING_INPUT_ACTION_ID]: { type: 'static_select', selected_option: { value: to } } };
  return values;
}
const groupOf = (form: ReturnType<typeof readTuningForm>, key: string) => (form.ok ? form.definition : form.draft).measures.find((m) => m.metricKey === key)?.group;

describe('regrouping measures in the admin modal', () => {
  it('moves the picked measures into the chosen group and leaves the others to keep their stored group', () => {
    const form = readTuningForm(state(['logins_30d', 'csat'], 'relationship'), base, known);
    expect(form.ok).toBe(true);
    expect(groupOf(form, 'logins_30d')).toBe('relationship');
    expect(groupOf(form, 'csat')).toBe('relationship');
    expect(groupOf(form, 'orders_30d')).toBeUndefined();
  });

  it('sends a measure back to its metric\'s category', () => {
    const form = readTuningForm(state(['nps'], DEFAULT_GROUP_OPTION), base, known);
    expect(groupOf(form, 'nps')).toBeNull();
  });

  it('refuses half a choice, and an unknown group with the allowed names', () => {
    expect(readTuningForm(state(['nps'], null), base, known)).toMatchObject({ ok: false, errors: { [IDS.regroupTo]: 'pick the group to move the selected measures into' } });
    expect(readTuningForm(state(null, 'sentiment'), base, known)).toMatchObject({ ok: false, errors: { [IDS.regroupMeasures]: 'pick the measures to move into this group' } });
    expect(readTuningForm(state(['nps'], 'usage'), base, known)).toMatchObject({
      ok: false,
      errors: { [IDS.regroupTo]: 'unknown group “usage”: use one of transactional, engagement, sentiment, relationship, lifecycle' },
    });
  });

  it('shows each measure\'s group beside its weight, and the regroup fields', () => {
    const view = tuningModal({ models: [{ key: 'default', name: 'Default', version: 1 }], model: base, catalogue: BUILT_IN_METRICS, evaluation: null });
    const labels = view.blocks.map((b) => (b.type === 'input' && 'label' in b ? b.label.text : ''));
    expect(labels).toContain('NPS — weight (relationship)');
    expect(labels).toContain('Logins (30 days) — weight (engagement)');
    expect(view.blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining([IDS.regroupMeasures, IDS.regroupTo]));
  });
});
