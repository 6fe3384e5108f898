// "Suggest from outcomes": the evidence of `model suggest` in plain words,
// with "Apply as new version", "Shadow for 30 days" and "Dismiss". Pure.
import type { KnownBlock, ModalView } from '@slack/types';
import type { BandRow, MeasureEvidence } from '../../calibration/types.js';
import type { ModelSuggestion } from '../../outcomes/suggest-model.js';
import { ACTION_IDS, CALLBACK_IDS } from '../ids.js';
import type { SuggestMetadata } from '../suggest-metadata.js';
import { clip, context, escapeMrkdwn, section } from './block-limits.js';

export type SuggestionModalState =
  | { kind: 'computing'; modelName: string }
  | { kind: 'ready'; suggestion: ModelSuggestion; labels: ReadonlyMap<string, string>; notice?: string }
  | { kind: 'done'; title: string; text: string };

const TITLE = 'Suggested weights';
const BANDS: Record<BandRow['band'], string> = { healthy: 'Healthy', watch: 'Watch', at_risk: 'At risk', critical: 'Critical', insufficient_data: 'Too little data' };
const CONFIDENCE: Record<ModelSuggestion['suggestion']['confidence'], string> = {
  evaluate_only: '*Too few outcomes to learn from* (fewer than 8 churned or 8 renewed): here is how today\'s weights do; nothing is suggested.',
  low: 'Confidence: *low* (8–19 churned outcomes) — try it in shadow first.',
  medium: 'Confidence: *medium* (20–49 churned outcomes).',
  high: 'Confidence: *high* (50 or more churned outcomes).',
};

const two = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));
const pct = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 100)}%`);
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;

export function suggestionMetadata(s: ModelSuggestion): SuggestMetadata {
  return { modelKey: s.model.key, baseVersion: s.model.version, leadDays: s.leadDays, weights: Object.fromEntries(s.suggestion.weights ?? []) };
}

export function suggestionModal(state: SuggestionModalState): ModalView {
  const base = { type: 'modal' as const, callback_id: CALLBACK_IDS.adminSuggest, title: { type: 'plain_text' as const, text: TITLE }, close: { type: 'plain_text' as const, text: 'Back' } };
  if (state.kind === 'computing') {
    return { ...base, blocks: [section(`:hourglass_flowing_sand: Learning weights for *${escapeMrkdwn(state.modelName)}* from your renewals and churns… (this takes a few seconds)`)] };
  }
  if (state.kind === 'done') return { ...base, title: { type: 'plain_text', text: clip(state.title, 24) }, blocks: [section(state.text)] };
  const { suggestion: s, labels } = state;
  const e = s.suggestion;
  const label = (key: string) => escapeMrkdwn(labels.get(key) ?? key);
  const blocks: KnownBlock[] = [];
  if (state.notice) blocks.push(section(state.notice));
  blocks.push(section(`*${escapeMrkdwn(s.model.name)}* v${s.model.version}: learned from *${e.churned} churned* and *${e.renewed} renewed* renewals on ${e.accounts} accounts, looking at each account as it stood *${s.leadDays} days before* its renewal.`));
  const left = s.excluded.churned + s.excluded.renewed;
  if (left > 0) blocks.push(context(`Left out for too little data ${s.leadDays} days before: ${s.excluded.churned} churned, ${s.excluded.renewed} renewed.`));
  blocks.push(section(CONFIDENCE[e.confidence]));
  const interval = (i: { low: number; high: number } | null) => (i ? ` (likely between ${i.low.toFixed(2)} and ${i.high.toFixed(2)})` : '');
  let separation = `*How well the score warns of churn* (1.00 = every churned account scored lower than every renewed one; 0.50 = a coin flip):\n• today's weights: *${two(e.current.auc)}*${interval(e.current.interval)}`;
  if (e.suggested && e.difference) {
    separation += `\n• suggested weights: *${two(e.suggested.auc)}*${interval(e.suggested.interval)}, each renewal judged by weights learned without it`;
    const verdict = e.verdict === 'likely_better' ? '*likely better*' : '*not proven* — the difference could be chance';
    separation += `\n• difference ${signed(e.difference.estimate)}${e.difference.interval ? ` (between ${signed(e.difference.interval.low)} and ${signed(e.difference.interval.high)})` : ''}: ${verdict}`;
  }
  blocks.push(section(separation));
  blocks.push(section(bandsText(e.bandsBefore, e.bandsAfter, s.leadDays) + `\nOf the accounts that churned, *${pct(e.churnedFlaggedBefore)}* were at risk or critical ${s.leadDays} days before${e.churnedFlaggedAfter !== null ? ` with today's weights, *${pct(e.churnedFlaggedAfter)}* with the suggested ones` : ''}.`));
  blocks.push(section(clip(measuresText(e.measures, label, e.weights !== null), 3000)));
  if (e.noSuggestion) blocks.push(section(`*No suggestion:* ${escapeMrkdwn(e.noSuggestion)}. Nothing was changed.`));
  blocks.push(context('Thresholds and band cut-offs stay as they are. Applying makes a new model version (audited; restore it from History & restore). A shadow scores every account with both weightings for 30 days; admins see its score in /health, and `account-health model evaluate` compares them on the renewals that happen meanwhile.'));
  const buttons = e.weights
    ? [
        { type: 'button' as const, action_id: ACTION_IDS.suggestApply, style: 'primary' as const, text: { type: 'plain_text' as const, text: 'Apply as new version' }, value: s.model.key,
          confirm: { title: { type: 'plain_text' as const, text: 'Apply these weights?' }, text: { type: 'plain_text' as const, text: `Saves ${s.model.name} v${s.model.version + 1} with the suggested weights and recomputes every score.` }, confirm: { type: 'plain_text' as const, text: 'Apply' }, deny: { type: 'plain_text' as const, text: 'Not yet' } } },
        { type: 'button' as const, action_id: ACTION_IDS.suggestShadow, text: { type: 'plain_text' as const, text: 'Shadow for 30 days' }, value: s.model.key },
        { type: 'button' as const, action_id: ACTION_IDS.suggestDismiss, text: { type: 'plain_text' as const, text: 'Dismiss' }, value: s.model.key },
      ]
    : [{ type: 'button' as const, action_id: ACTION_IDS.suggestDismiss, text: { type: 'plain_text' as const, text: 'Dismiss' }, value: s.model.key }];
  blocks.push({ type: 'actions', block_id: 'suggest_actions', elements: buttons });
  return { ...base, private_metadata: JSON.stringify(suggestionMetadata(s)), blocks };
}

function bandsText(before: readonly BandRow[], after: readonly BandRow[] | null, leadDays: number): string {
  const cell = (r: BandRow | undefined) => (r ? `${r.accounts} renewals, ${r.churned} churned (${pct(r.churnRate)})` : '0 renewals');
  const bands = [...new Set([...before, ...(after ?? [])].map((r) => r.band))];
  const lines = bands.map((band) => {
    const b = before.find((r) => r.band === band);
    const a = after?.find((r) => r.band === band);
    return `• ${BANDS[band]}: ${cell(b)}${after ? ` → ${cell(a)}` : ''}`;
  });
  return `*Bands ${leadDays} days before renewal*${after ? ' (today\'s weights → suggested)' : ''}:\n${lines.join('\n')}`;
}

function measuresText(measures: readonly MeasureEvidence[], label: (key: string) => string, suggested: boolean): string {
  const lines = measures.map((m) => {
    const weight = suggested ? `${m.currentWeight} → *${m.suggestedWeight ?? 0}*` : `${m.currentWeight}`;
    const notes: string[] = [];
    if (m.calendar) notes.push('set by the calendar, so not learned');
    else if (m.direction === 'points_wrong_way') notes.push('points the wrong way: churned accounts scored *higher* on it');
    else if (m.direction === 'no_signal') notes.push('no signal');
    else if (m.direction === 'unknown') notes.push('too few values to judge');
    else if (m.auc !== null) notes.push(`alone ${m.auc.toFixed(2)}`);
    if (m.missingShare >= 0.05) notes.push(`missing in ${pct(m.missingShare)}`);
    if (m.overlaps.length > 0) notes.push(`says much the same as ${m.overlaps.slice(0, 3).map((o) => label(o.metricKey)).join(', ')}${m.overlaps.length > 3 ? ` and ${m.overlaps.length - 3} more` : ''}`);
    return `• ${label(m.metricKey)}: ${weight}${notes.length > 0 ? ` — ${notes.join('; ')}` : ''}`;
  });
  return `*Weights*${suggested ? ' (today → suggested)' : ''}:\n${lines.join('\n')}`;
}
