// The living alert message: score and band, why it moved (measure by measure,
// values before and after), what to do, and who owns the follow-up.
import type { KnownBlock } from '@slack/types';
import type { AlertReason, AlertTrigger } from '../../alerts/alert-types.js';
import { describeTrigger } from '../../alerts/describe-trigger.js';
import { BAND_EMOJI, BAND_LABEL, formatScore, formatValue } from '../../reports/format.js';
import type { SuggestedAction } from '../../scoring/suggest-actions.js';
import type { SnapshotBand } from '../../scoring/types.js';
import { ACTION_IDS, MESSAGE_BLOCK_IDS } from '../ids.js';
import { capBlocks, context, escapeMrkdwn, header, limitList, MAX_MESSAGE_BLOCKS, section } from './block-limits.js';
import type { SlackMessage } from './health-views.js';
import type { GroupFall } from '../../alerts/group-fall.js';

export interface AlertMessageData {
  alertId: number;
  accountName: string;
  externalId: string;
  ownerSlackUserId: string | null;
  state: string;
  band: SnapshotBand;
  score: number | null;
  triggers: readonly AlertTrigger[];
  reason: AlertReason;
  actions: readonly SuggestedAction[];
  metricLabel: (metricKey: string) => { label: string; unit: string };
  claimedBy: string | null;
  claimedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  /** The day (YYYY-MM-DD) the alert's scores were judged at, when that is not today; null when it is today. */
  judgedOn?: string | null;
  /** The group of measures that fell most since the baseline, when one did. */
  groupFall?: GroupFall | null;
}

const time = (d: Date) => `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString()}>`;

export function alertMessage(a: AlertMessageData): SlackMessage {
  const closed = a.state === 'resolved' || a.state === 'auto_resolved';
  const judged = a.judgedOn ? ` — as of ${a.judgedOn}` : '';
  const title = `${closed ? '✅' : '⚠️'} ${a.accountName}: health ${closed ? 'alert closed' : 'fell'} — ${formatScore(a.score)} (${BAND_LABEL[a.band]})${judged}`;
  const blocks: KnownBlock[] = [header(title)];
  blocks.push(section(`${BAND_EMOJI[a.band]} *${formatScore(a.score)}* — ${BAND_LABEL[a.band]}\n${a.triggers.map((t) => `• ${escapeMrkdwn(describeTrigger(t, (k) => a.metricLabel(k).label))}`).join('\n')}`));
  if (a.reason.changes.length > 0) {
    const since = a.reason.baseline ? `since ${a.reason.baseline.asOf.slice(0, 10)} (${formatScore(a.reason.baseline.score)}, ${a.reason.baseline.band.replace('_', ' ')})` : 'on first scoring';
    const { shown, more } = limitList(a.reason.changes, 6);
    const lines = shown.map((c) => {
      const m = a.metricLabel(c.metricKey);
      return `• *${escapeMrkdwn(m.label)}*: ${formatValue(c.valueBefore, m.unit)} → ${formatValue(c.valueAfter, m.unit)} — *−${c.pointsLost.toFixed(1)} pts*`;
    });
    const group = a.groupFall ? `\n*${escapeMrkdwn(a.groupFall.label)}* fell most: ${Math.floor(a.groupFall.before + 1e-9)} → ${Math.floor(a.groupFall.after + 1e-9)}` : '';
    blocks.push(section(`*Why it moved* ${since}${group}\n${lines.join('\n')}${more ? `\n${more}` : ''}`));
  }
  if (a.actions.length > 0 && !closed) {
    blocks.push(section(`*Suggested next steps*\n${a.actions.map((x) => `• *${escapeMrkdwn(x.title)}* — ${escapeMrkdwn(x.why)}`).join('\n')}`));
  }
  if (closed) {
    blocks.push(context(a.resolvedBy === 'system' ? `Closed automatically${a.resolvedAt ? ` ${time(a.resolvedAt)}` : ''}: the score recovered.` : `Resolved by <@${a.resolvedBy ?? 'unknown'}>${a.resolvedAt ? ` ${time(a.resolvedAt)}` : ''}.`));
  } else if (a.claimedBy) {
    blocks.push(context(`:eyes: Claimed by <@${a.claimedBy}>${a.claimedAt ? ` ${time(a.claimedAt)}` : ''}. React :white_check_mark: or press Resolve when done.`));
  } else {
    blocks.push(context(`Unclaimed${a.ownerSlackUserId ? ` · account owner <@${a.ownerSlackUserId}>` : ''} · react :eyes: (or press Claim) to own the follow-up.`));
  }
  if (!closed) {
    blocks.push({
      type: 'actions',
      block_id: MESSAGE_BLOCK_IDS.alertActions,
      elements: [
        ...(a.claimedBy ? [] : [{ type: 'button' as const, action_id: ACTION_IDS.claimAlert, style: 'primary' as const, text: { type: 'plain_text' as const, text: 'Claim' }, value: String(a.alertId) }]),
        { type: 'button', action_id: ACTION_IDS.resolveAlert, text: { type: 'plain_text', text: 'Resolve' }, value: String(a.alertId) },
      ],
    });
  }
  return { text: title, blocks: capBlocks(blocks, MAX_MESSAGE_BLOCKS) };
}
