// The admin modal: pick a model, edit weights, thresholds and band cut-offs,
// add or remove measures, preview the effect, save as a new version.
// The figures that take seconds (churn separation, preview) arrive in a later
// views.update, so the modal itself opens within the trigger id's 3 seconds.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { MEASURE_GROUPS, type ModelDefinition, type ModelVersion, type MetricDefinition } from '../../scoring/types.js';
import { GROUP_LABEL } from '../../scoring/group-scores.js';
import { DEFAULT_GROUP_OPTION } from '../../tuning/read-tuning-form.js';
import type { ModelPreview } from '../../tuning/preview-model-change.js';
import { MAX_TUNABLE_MEASURES } from '../../tuning/tuning-limits.js';
import { BAND_LABEL, formatScore } from '../../reports/format.js';
import { ACTION_IDS, CALLBACK_IDS, TUNING_BLOCK_IDS as IDS, TUNING_INPUT_ACTION_ID } from '../ids.js';
import { encodeTuningMetadata } from '../tuning-metadata.js';
import { clip, context, escapeMrkdwn, MAX_VIEW_BLOCKS, section } from './block-limits.js';

export type PreviewState = { kind: 'computing' } | { kind: 'error'; message: string } | { kind: 'ready'; preview: ModelPreview };

export interface TuningModalData {
  models: { key: string; name: string; version: number }[];
  /** The stored model: identity and the version a save must build on. */
  model: ModelVersion;
  /** What the form shows when it differs from the stored model (the candidate, after a preview). */
  shown?: ModelDefinition;
  catalogue: readonly MetricDefinition[];
  /** How well the stored model separates churned from retained accounts; null while it is computed. */
  evaluation: string | null;
  preview?: PreviewState;
}

export const COMPUTING_NOTE = 'computing… (this takes a few seconds)';

const option = (text: string, value: string): PlainTextOption => ({ text: { type: 'plain_text', text: clip(text, 75) }, value });

function numberInput(blockId: string, label: string, initial: number, hint?: string): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: clip(label, 2000) },
    element: { type: 'plain_text_input', action_id: TUNING_INPUT_ACTION_ID, initial_value: String(initial) },
    ...(hint ? { hint: { type: 'plain_text', text: clip(hint, 2000) } } : {}),
  };
}

function pickerBlocks(data: TuningModalData): KnownBlock[] {
  const { model } = data;
  return [
    {
      type: 'actions',
      block_id: IDS.pickModel,
      elements: [
        {
          type: 'static_select',
          action_id: ACTION_IDS.tuningPickModel,
          options: data.models.slice(0, 100).map((m) => option(`${m.name} (v${m.version})`, m.key)),
          initial_option: option(`${model.name} (v${model.version})`, model.key),
        },
        { type: 'button', action_id: ACTION_IDS.tuningHistory, text: { type: 'plain_text', text: 'History & restore' }, value: model.key },
        { type: 'button', action_id: ACTION_IDS.tuningSuggest, text: { type: 'plain_text', text: 'Suggest from outcomes' }, value: model.key },
      ],
    },
    context(`*${escapeMrkdwn(model.name)}* v${model.version} · ${model.segment ? `segment ${escapeMrkdwn(model.segment)}` : 'accounts without a segment model'} · churn separation: ${escapeMrkdwn(data.evaluation ?? COMPUTING_NOTE)}`),
  ];
}

export function tuningModal(data: TuningModalData): ModalView {
  const { model } = data;
  const shown = data.shown ?? model;
  if (shown.measures.length > MAX_TUNABLE_MEASURES) return tooLargeModal(data);
  const labels = new Map(data.catalogue.map((m) => [m.key, m]));
  const label = (metricKey: string) => labels.get(metricKey)?.label ?? metricKey;
  const blocks: KnownBlock[] = [...pickerBlocks(data), { type: 'divider' }];
  for (const measure of shown.measures) {
    const unit = labels.get(measure.metricKey)?.unit ? ` (${labels.get(measure.metricKey)?.unit})` : '';
    const group = GROUP_LABEL[measure.group ?? labels.get(measure.metricKey)?.category ?? 'custom'].toLowerCase();
    blocks.push(numberInput(IDS.measure(measure.metricKey, 'weight'), `${label(measure.metricKey)} — weight (${group})`, measure.weight));
    blocks.push(numberInput(IDS.measure(measure.metricKey, 'good'), `${label(measure.metricKey)} — good${unit}`, measure.good, 'earns 100 points'));
    blocks.push(numberInput(IDS.measure(measure.metricKey, 'poor'), `${label(measure.metricKey)} — poor${unit}`, measure.poor, 'earns 0 points'));
  }
  // A multi-select covers every measure (checkboxes stop at 10; seeded models have 12).
  if (shown.measures.length > 0) blocks.push({
    type: 'input',
    block_id: IDS.remove,
    optional: true,
    label: { type: 'plain_text', text: 'Remove measures' },
    element: { type: 'multi_static_select', action_id: TUNING_INPUT_ACTION_ID, placeholder: { type: 'plain_text', text: 'Measures to drop' }, options: shown.measures.map((m) => option(label(m.metricKey), m.metricKey)) },
  });
  const addable = data.catalogue.filter((m) => !shown.measures.some((x) => x.metricKey === m.key));
  if (addable.length > 0 && shown.measures.length < MAX_TUNABLE_MEASURES) {
    blocks.push({
      type: 'input',
      block_id: IDS.add,
      optional: true,
      label: { type: 'plain_text', text: `Add measures (weight 5, default thresholds; up to ${MAX_TUNABLE_MEASURES} in all)` },
      hint: { type: 'plain_text', text: 'Preview to edit an added measure’s weight and thresholds before saving.' },
      element: { type: 'multi_static_select', action_id: TUNING_INPUT_ACTION_ID, placeholder: { type: 'plain_text', text: 'Measures to add' }, options: addable.slice(0, 100).map((m) => option(m.label, m.key)) },
    });
  }
  if (shown.measures.length > 0) blocks.push(...regroupBlocks(shown, label));
  blocks.push({ type: 'divider' });
  blocks.push(numberInput(IDS.cutoff('healthyMin'), 'Healthy from score', shown.cutoffs.healthyMin));
  blocks.push(numberInput(IDS.cutoff('watchMin'), 'Watch from score', shown.cutoffs.watchMin));
  blocks.push(numberInput(IDS.cutoff('atRiskMin'), 'At risk from score (below: critical)', shown.cutoffs.atRiskMin));
  blocks.push(numberInput(IDS.minCompleteness, 'Minimum data completeness (%)', Math.round(shown.minCompleteness * 100), 'below it the score shows as insufficient data'));
  blocks.push({ type: 'input', block_id: IDS.note, optional: true, label: { type: 'plain_text', text: 'Why this change? (kept in the audit log)' }, element: { type: 'plain_text_input', action_id: TUNING_INPUT_ACTION_ID, max_length: 300 } });
  blocks.push({ type: 'actions', block_id: IDS.previewActions, elements: [{ type: 'button', action_id: ACTION_IDS.tuningPreview, text: { type: 'plain_text', text: 'Preview the effect' }, value: model.key }] });
  if (data.preview) blocks.push(...previewBlocks(data.preview));
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.adminModel,
    private_metadata: encodeTuningMetadata({ modelKey: model.key, baseVersion: model.version, measureKeys: shown.measures.map((m) => m.metricKey) }),
    title: { type: 'plain_text', text: 'Tune health model' },
    submit: { type: 'plain_text', text: 'Save new version' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: withinViewLimit(blocks),
  };
}

/** Moving measures between groups: which measures, and into which group (or back to their metric's category). */
function regroupBlocks(shown: ModelDefinition, label: (metricKey: string) => string): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: IDS.regroupMeasures,
      optional: true,
      label: { type: 'plain_text', text: 'Regroup measures' },
      hint: { type: 'plain_text', text: 'Groups give each kind of signal its own sub-score in /health; a measure’s group is shown beside its weight.' },
      element: { type: 'multi_static_select', action_id: TUNING_INPUT_ACTION_ID, placeholder: { type: 'plain_text', text: 'Measures to move' }, options: shown.measures.map((m) => option(label(m.metricKey), m.metricKey)) },
    },
    {
      type: 'input',
      block_id: IDS.regroupTo,
      optional: true,
      label: { type: 'plain_text', text: '…into group' },
      element: {
        type: 'static_select',
        action_id: TUNING_INPUT_ACTION_ID,
        placeholder: { type: 'plain_text', text: 'Group' },
        options: [...MEASURE_GROUPS.map((g) => option(GROUP_LABEL[g], g)), option('The metric’s own category', DEFAULT_GROUP_OPTION)],
      },
    },
  ];
}

/** A model imported with more measures than the form can hold: say so, never drop fields. */
function tooLargeModal(data: TuningModalData): ModalView {
  const count = (data.shown ?? data.model).measures.length;
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.adminModel,
    title: { type: 'plain_text', text: 'Tune health model' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      ...pickerBlocks(data),
      section(`:warning: *${escapeMrkdwn(data.model.name)}* has ${count} measures; this form edits models of up to ${MAX_TUNABLE_MEASURES} (Slack shows at most ${MAX_VIEW_BLOCKS} fields in a modal). Edit it with \`account-health model export ${data.model.key} FILE\`, then \`account-health model import FILE\`.`),
    ],
  };
}

/** The modal is sized by construction (see MAX_TUNABLE_MEASURES); a bigger one is a bug, not something to trim. */
function withinViewLimit(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length > MAX_VIEW_BLOCKS) throw new Error(`the tuning modal has ${blocks.length} blocks, over Slack's ${MAX_VIEW_BLOCKS}`);
  return blocks;
}

const auc = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

function previewBlocks(state: PreviewState): KnownBlock[] {
  if (state.kind === 'computing') return [context(`:hourglass_flowing_sand: *Preview:* ${COMPUTING_NOTE}`)];
  if (state.kind === 'error') return [section(`:warning: *Cannot preview yet:* ${escapeMrkdwn(state.message)}`)];
  const { preview } = state;
  const movers = preview.movers
    .map((m) => `• ${escapeMrkdwn(clip(m.name, 80))}: ${formatScore(m.before)} ${BAND_LABEL[m.bandBefore]} → ${formatScore(m.after)} ${BAND_LABEL[m.bandAfter]}`)
    .join('\n');
  return [
    section(
      `*Preview* — ${preview.bandChanges} of ${preview.accounts} accounts would change band.\n` +
        `Churn separation (ROC AUC): ${auc(preview.before.auc)} now → *${auc(preview.after.auc)}* with this change (${preview.after.churned} churned, ${preview.after.retained} retained).`,
    ),
    ...(movers ? [section(`*Biggest movers*\n${movers}`)] : []),
  ];
}

const MAX_HISTORY_ROWS = 40;

export function historyModal(modelName: string, modelKey: string, versions: { version: number; createdAt: Date; createdBy: string; note: string; current: boolean }[], notice?: string): ModalView {
  const blocks: KnownBlock[] = notice ? [section(notice)] : [];
  const shown = versions.slice(0, MAX_HISTORY_ROWS);
  for (const v of shown) {
    const who = /^[UW][A-Z0-9]+$/.test(v.createdBy) ? `<@${v.createdBy}>` : escapeMrkdwn(v.createdBy);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*v${v.version}*${v.current ? ' (current)' : ''} · ${v.createdAt.toISOString().slice(0, 16).replace('T', ' ')} · ${who}${v.note ? `\n${escapeMrkdwn(clip(v.note, 500))}` : ''}`, 3000) },
      ...(v.current ? {} : { accessory: { type: 'button' as const, action_id: ACTION_IDS.tuningRestore, text: { type: 'plain_text' as const, text: 'Restore' }, value: `${modelKey}:${v.version}` } }),
    });
  }
  const more = versions.length - shown.length;
  if (more > 0) blocks.push(context(`…and ${more} older versions: \`account-health model history ${modelKey}\` lists them all.`));
  return { type: 'modal', callback_id: CALLBACK_IDS.adminHistory, title: { type: 'plain_text', text: clip(`History: ${modelName}`, 24) }, close: { type: 'plain_text', text: 'Back' }, blocks };
}

/** A modal that only says something (a refusal, a model that is gone). */
export function noticeModal(title: string, text: string): ModalView {
  return { type: 'modal', title: { type: 'plain_text', text: clip(title, 24) }, close: { type: 'plain_text', text: 'Close' }, blocks: [section(escapeMrkdwn(text))] };
}
