// The admin modal as a pure view: every measure editable and removable, the
// slow figures marked as coming, the preview's facts on screen, and Slack's
// 100-block limit held by construction (never by dropping fields).
import type { AnyBlock, InputBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';
import { DEFAULT_MODELS } from '../../../src/scoring/default-models.js';
import type { ModelVersion } from '../../../src/scoring/types.js';
import { ACTION_IDS, TUNING_BLOCK_IDS as IDS } from '../../../src/slack/ids.js';
import { decodeTuningMetadata } from '../../../src/slack/tuning-metadata.js';
import { COMPUTING_NOTE, historyModal, tuningModal, type TuningModalData } from '../../../src/slack/views/tuning-modal.js';
import type { ModelPreview } from '../../../src/tuning/preview-model-change.js';
import { MAX_TUNABLE_MEASURES } from '../../../src/tuning/tuning-limits.js';

const model: ModelVersion = { ...DEFAULT_MODELS[0]!, versionId: 1, version: 4 };
const data = (patch: Partial<TuningModalData> = {}): TuningModalData => ({ models: [{ key: 'default', name: 'Default', version: 4 }], model, catalogue: BUILT_IN_METRICS, evaluation: 'ROC AUC 0.81', ...patch });
const text = (value: unknown) => JSON.stringify(value);
const blockIds = (blocks: AnyBlock[]) => blocks.map((b) => ('block_id' in b ? b.block_id : undefined));
const preview: ModelPreview = {
  accounts: 40,
  bandChanges: 3,
  movers: [
    { name: 'Acme Corp', before: 61.2, after: 44.9, bandBefore: 'watch', bandAfter: 'at_risk' },
    { name: 'Globex', before: 70, after: 78.4, bandBefore: 'watch', bandAfter: 'healthy' },
  ],
  before: { auc: 0.62, churned: 4, retained: 30, unscored: 1 },
  after: { auc: 0.81, churned: 4, retained: 30, unscored: 1 },
};

describe('tuning modal', () => {
  it('has one input per weight, good and poor, within 100 blocks and a 24-character title', () => {
    const view = tuningModal(data());
    const ids = blockIds(view.blocks);
    for (const m of model.measures) for (const f of ['weight', 'good', 'poor'] as const) expect(ids).toContain(IDS.measure(m.metricKey, f));
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(decodeTuningMetadata(view.private_metadata)).toEqual({ modelKey: 'default', baseVersion: 4, measureKeys: model.measures.map((m) => m.metricKey) });
  });

  it('offers every measure for removal, all twelve of a seeded model', () => {
    const remove = tuningModal(data()).blocks.find((b): b is InputBlock => b.type === 'input' && 'block_id' in b && b.block_id === IDS.remove);
    expect(remove?.element.type).toBe('multi_static_select');
    const options = remove?.element.type === 'multi_static_select' ? remove.element.options ?? [] : [];
    expect(options.map((o) => o.value)).toEqual(model.measures.map((m) => m.metricKey));
    expect(model.measures).toHaveLength(12);
  });

  it('shows the candidate after a preview and carries its measure keys, so Save reads what is shown', () => {
    const shown = { ...model, measures: [...model.measures.filter((m) => m.metricKey !== 'nps')] };
    const view = tuningModal(data({ shown }));
    expect(blockIds(view.blocks)).not.toContain(IDS.measure('nps', 'weight'));
    expect(decodeTuningMetadata(view.private_metadata)?.measureKeys).toEqual(shown.measures.map((m) => m.metricKey));
    const add = view.blocks.find((b) => 'block_id' in b && b.block_id === IDS.add);
    expect(text(add)).toContain('"value":"nps"');
  });

  it('says the churn separation is being computed until it arrives, and the preview likewise', () => {
    const light = text(tuningModal(data({ evaluation: null, preview: { kind: 'computing' } })).blocks);
    expect(light).toContain(`churn separation: ${COMPUTING_NOTE}`);
    expect(light).toContain(`*Preview:* ${COMPUTING_NOTE}`);
    expect(light).not.toContain('ROC AUC');
  });

  it('shows the preview: band changes, biggest movers with bands, and ROC AUC before and after', () => {
    const all = text(tuningModal(data({ preview: { kind: 'ready', preview } })).blocks);
    expect(all).toContain('*Preview* — 3 of 40 accounts would change band.');
    expect(all).toContain('Churn separation (ROC AUC): 0.62 now → *0.81* with this change (4 churned, 30 retained).');
    expect(all).toContain('• Acme Corp: 61/100 Watch → 44/100 At risk');
    expect(all).toContain('• Globex: 70/100 Watch → 78/100 Healthy');
    const none = text(tuningModal(data({ preview: { kind: 'ready', preview: { ...preview, movers: [], before: { ...preview.before, auc: null }, after: { ...preview.after, auc: null } } } })).blocks);
    expect(none).toContain('n/a now → *n/a*');
    expect(none).not.toContain('Biggest movers');
    expect(text(tuningModal(data({ preview: { kind: 'error', message: 'weight must be 0 or more' } })).blocks)).toContain('Cannot preview yet:* weight must be 0 or more');
  });

  it.each([MAX_TUNABLE_MEASURES - 1, MAX_TUNABLE_MEASURES])('fits %i measures with a preview in 100 blocks, with every field present', (count) => {
    const measures = Array.from({ length: count }, (_, i) => ({ metricKey: `custom_${i}`, weight: 1, good: 10, poor: 0 }));
    const view = tuningModal(data({ model: { ...model, measures }, preview: { kind: 'ready', preview } }));
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const ids = blockIds(view.blocks);
    for (const m of measures) for (const f of ['weight', 'good', 'poor'] as const) expect(ids).toContain(IDS.measure(m.metricKey, f));
    expect(ids).toEqual(expect.arrayContaining([IDS.remove, IDS.cutoff('healthyMin'), IDS.minCompleteness, IDS.note, IDS.previewActions]));
    // Adding is offered only below the cap.
    expect(ids.includes(IDS.add)).toBe(count < MAX_TUNABLE_MEASURES);
    expect(text(view.blocks)).toContain('Biggest movers');
  });

  it(`says a model over ${MAX_TUNABLE_MEASURES} measures is edited from the command line, instead of dropping fields`, () => {
    const measures = Array.from({ length: MAX_TUNABLE_MEASURES + 1 }, (_, i) => ({ metricKey: `custom_${i}`, weight: 1, good: 10, poor: 0 }));
    const view = tuningModal(data({ model: { ...model, measures } }));
    expect(view.submit).toBeUndefined();
    expect(view.blocks.some((b) => b.type === 'input')).toBe(false);
    expect(text(view.blocks)).toContain(`has ${MAX_TUNABLE_MEASURES + 1} measures; this form edits models of up to ${MAX_TUNABLE_MEASURES}`);
    expect(text(view.blocks)).toContain('account-health model export default FILE');
  });

  it('lists history with Restore buttons except on the current version', () => {
    const view = historyModal('Enterprise accounts model', 'enterprise', [
      { version: 2, createdAt: new Date('2026-11-01T00:00:00Z'), createdBy: 'U0ADMIN001', note: 'more NPS', current: true },
      { version: 1, createdAt: new Date('2026-10-01T00:00:00Z'), createdBy: 'system', note: 'seeded model', current: false },
    ]);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(text(view.blocks).match(new RegExp(ACTION_IDS.tuningRestore, 'g'))).toHaveLength(1);
    expect(text(view.blocks)).toContain('enterprise:1');
  });
});
