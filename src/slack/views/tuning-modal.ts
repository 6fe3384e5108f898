// The admin modal: pick a model, edit weights, thresholds and band cut-offs,
// add or remove measures, preview the effect, save as a new version.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { ModelVersion, MetricDefinition } from '../../scoring/types.js';
import type { ModelPreview } from '../../tuning/preview-model-change.js';
import { BAND_LABEL, formatScore } from '../../reports/format.js';
import { ACTION_IDS, CALLBACK_IDS } from '../ids.js';
import { capBlocks, clip, context, escapeMrkdwn, MAX_VIEW_BLOCKS, section } from './block-limits.js';

export const VALUE = 'value';
export const blockIds = {
  measure: (metricKey: string, field: 'weight' | 'good' | 'poor') => `m:${metricKey}:${field}`,
  cutoff: (field: 'healthyMin' | 'watchMin' | 'atRiskMin') => `cut:${field}`,
  minCompleteness: 'min_completeness',
  remove: 'remove_measures',
  add: 'add_measures',
  note: 'note',
  preview: 'preview',
} as const;

export interface TuningModalData {
  models: { key: string; name: string; version: number }[];
  model: ModelVersion;
  catalogue: readonly MetricDefinition[];
  evaluation: string;
  preview?: ModelPreview | { error: string };
}

const option = (text: string, value: string): PlainTextOption => ({ text: { type: 'plain_text', text: clip(text, 75) }, value });

function numberInput(blockId: string, label: string, initial: number, hint?: string): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: clip(label, 2000) },
    element: { type: 'plain_text_input', action_id: VALUE, initial_value: String(initial) },
    ...(hint ? { hint: { type: 'plain_text', text: clip(hint, 2000) } } : {}),
  };
}

export function tuningModal(data: TuningModalData): ModalView {
  const { model } = data;
  const labels = new Map(data.catalogue.map((m) => [m.key, m]));
  const blocks: KnownBlock[] = [
    {
      type: 'actions',
      block_id: 'pick_model',
      elements: [
        {
          type: 'static_select',
          action_id: ACTION_IDS.tuningPickModel,
          options: data.models.map((m) => option(`${m.name} (v${m.version})`, m.key)),
          initial_option: option(`${model.name} (v${model.version})`, model.key),
        },
        { type: 'button', action_id: ACTION_IDS.tuningHistory, text: { type: 'plain_text', text: 'History & restore' }, value: model.key },
      ],
    },
    context(`*${escapeMrkdwn(model.name)}* v${model.version} · ${model.segment ? `segment ${escapeMrkdwn(model.segment)}` : 'accounts without a segment model'} · churn separation: ${escapeMrkdwn(data.evaluation)}`),
    { type: 'divider' },
  ];
  for (const measure of model.measures) {
    const metric = labels.get(measure.metricKey);
    const name = metric?.label ?? measure.metricKey;
    const unit = metric?.unit ? ` (${metric.unit})` : '';
    blocks.push(numberInput(blockIds.measure(measure.metricKey, 'weight'), `${name} — weight`, measure.weight));
    blocks.push(numberInput(blockIds.measure(measure.metricKey, 'good'), `${name} — good${unit}`, measure.good, 'earns 100 points'));
    blocks.push(numberInput(blockIds.measure(measure.metricKey, 'poor'), `${name} — poor${unit}`, measure.poor, 'earns 0 points'));
  }
  blocks.push({
    type: 'input',
    block_id: blockIds.remove,
    optional: true,
    label: { type: 'plain_text', text: 'Remove measures' },
    element: { type: 'checkboxes', action_id: VALUE, options: model.measures.slice(0, 10).map((m) => option(labels.get(m.metricKey)?.label ?? m.metricKey, m.metricKey)) },
  });
  const addable = data.catalogue.filter((m) => !model.measures.some((x) => x.metricKey === m.key));
  if (addable.length > 0) {
    blocks.push({
      type: 'input',
      block_id: blockIds.add,
      optional: true,
      label: { type: 'plain_text', text: 'Add measures (weight 5, default thresholds; edit after saving)' },
      element: { type: 'multi_static_select', action_id: VALUE, options: addable.slice(0, 100).map((m) => option(m.label, m.key)) },
    });
  }
  blocks.push({ type: 'divider' });
  blocks.push(numberInput(blockIds.cutoff('healthyMin'), 'Healthy from score', model.cutoffs.healthyMin));
  blocks.push(numberInput(blockIds.cutoff('watchMin'), 'Watch from score', model.cutoffs.watchMin));
  blocks.push(numberInput(blockIds.cutoff('atRiskMin'), 'At risk from score (below: critical)', model.cutoffs.atRiskMin));
  blocks.push(numberInput(blockIds.minCompleteness, 'Minimum data completeness (%)', Math.round(model.minCompleteness * 100), 'below it the score shows as insufficient data'));
  blocks.push({ type: 'input', block_id: blockIds.note, optional: true, label: { type: 'plain_text', text: 'Why this change? (kept in the audit log)' }, element: { type: 'plain_text_input', action_id: VALUE, max_length: 300 } });
  blocks.push({ type: 'actions', block_id: 'preview_actions', elements: [{ type: 'button', action_id: ACTION_IDS.tuningPreview, text: { type: 'plain_text', text: 'Preview the effect' }, value: model.key }] });
  if (data.preview) blocks.push(...previewBlocks(data.preview));
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.adminModel,
    private_metadata: JSON.stringify({ modelKey: model.key, baseVersion: model.version }),
    title: { type: 'plain_text', text: 'Tune health model' },
    submit: { type: 'plain_text', text: 'Save new version' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: capBlocks(blocks, MAX_VIEW_BLOCKS),
  };
}

function previewBlocks(preview: ModelPreview | { error: string }): KnownBlock[] {
  if ('error' in preview) return [section(`:warning: *Cannot preview yet:* ${escapeMrkdwn(preview.error)}`)];
  const auc = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
  const movers = preview.movers.map((m) => `• ${escapeMrkdwn(m.name)}: ${formatScore(m.before)} ${BAND_LABEL[m.bandBefore]} → ${formatScore(m.after)} ${BAND_LABEL[m.bandAfter]}`).join('\n');
  return [
    section(`*Preview* — ${preview.bandChanges} of ${preview.accounts} accounts would change band.\nChurn separation (ROC AUC): ${auc(preview.before.auc)} now → *${auc(preview.after.auc)}* with this change (${preview.after.churned} churned, ${preview.after.retained} retained).`),
    ...(movers ? [section(`*Biggest movers*\n${movers}`)] : []),
  ];
}

export function historyModal(modelName: string, modelKey: string, versions: { version: number; createdAt: Date; createdBy: string; note: string; current: boolean }[], notice?: string): ModalView {
  const blocks: KnownBlock[] = notice ? [section(notice)] : [];
  for (const v of versions.slice(0, 40)) {
    const who = /^[UW][A-Z0-9]+$/.test(v.createdBy) ? `<@${v.createdBy}>` : escapeMrkdwn(v.createdBy);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*v${v.version}*${v.current ? ' (current)' : ''} · ${v.createdAt.toISOString().slice(0, 16).replace('T', ' ')} · ${who}${v.note ? `\n${escapeMrkdwn(v.note)}` : ''}`, 3000) },
      ...(v.current ? {} : { accessory: { type: 'button' as const, action_id: ACTION_IDS.tuningRestore, text: { type: 'plain_text' as const, text: 'Restore' }, value: `${modelKey}:${v.version}` } }),
    });
  }
  return { type: 'modal', callback_id: CALLBACK_IDS.adminHistory, title: { type: 'plain_text', text: clip(`History: ${modelName}`, 24) }, close: { type: 'plain_text', text: 'Back' }, blocks: capBlocks(blocks, MAX_VIEW_BLOCKS) };
}
