// /health replies as pure functions of report data.
import type { KnownBlock } from '@slack/types';
import type { AccountRef } from '../../accounts/find-accounts.js';
import type { HealthReport } from '../../reports/build-health-report.js';
import type { ReportGroup } from '../../reports/group-history.js';
import type { ChartImage } from '../chart-uploads.js';
import { BAND_EMOJI, BAND_LABEL, formatChange, formatDate, formatScore, formatValue } from '../../reports/format.js';
import type { PortfolioEntry } from '../../reports/list-portfolio.js';
import { isNotInUse, provenanceNote } from '../../reports/load-provenance.js';
import { ACTION_IDS, MESSAGE_BLOCK_IDS } from '../ids.js';
import { capBlocks, clip, context, escapeMrkdwn, header, limitList, MAX_MESSAGE_BLOCKS, section } from './block-limits.js';
import { listBlocks, MAX_NAME_CHARS, portfolioLine } from './portfolio-lines.js';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const TOP_MEASURES = 5;

export interface BreakdownOptions {
  shared?: boolean;
  /** The uploaded 90-day chart, shown as an image. */
  chart?: ChartImage | null;
  /** One line in place of a chart (e.g. no history to draw yet). */
  chartNote?: string | null;
}

export function healthBreakdownMessage(report: HealthReport, options: BreakdownOptions = {}): SlackMessage {
  const { account, snapshot } = report;
  const name = escapeMrkdwn(account.name);
  if (!snapshot) {
    return {
      text: `${account.name}: not scored yet`,
      blocks: [header(account.name), section(`*${name}* has no score yet: no recomputation has run since its data arrived. Import metrics, then run \`account-health recompute\` (or wait for the schedule).`)],
    };
  }
  const blocks: KnownBlock[] = [header(`${account.name} · ${formatScore(snapshot.score)}`)];
  const trend = report.trend ? `${formatChange(report.trend.change7d, 7)} · ${formatChange(report.trend.change30d, 30)}${report.trend.sparkline.trim() ? `  \`${report.trend.sparkline}\`` : ''}` : 'no trend yet';
  blocks.push(section(`${BAND_EMOJI[snapshot.band]} *${formatScore(snapshot.score)}* — ${BAND_LABEL[snapshot.band]}\n${trend}`));
  const renewal = report.daysToRenewal !== null ? ` · renewal in ${report.daysToRenewal} days` : '';
  blocks.push(context(`Data ${Math.round(snapshot.completeness * 100)}% complete${report.newestObservation ? ` · newest ${formatDate(report.newestObservation)}` : ''} · scored ${formatDate(snapshot.asOf)} with ${snapshot.modelName} model v${snapshot.modelVersion}${renewal}`));

  const groups = report.groups ?? [];
  if (groups.length > 0) blocks.push(section(`*By group*\n${groups.map(groupLine).join('\n')}`));
  if (options.chart) blocks.push({ type: 'image', slack_file: { id: options.chart.fileId }, alt_text: clip(options.chart.altText, 2_000), title: { type: 'plain_text', text: 'Score, last 90 days' } });
  else if (options.chartNote) blocks.push(context(options.chartNote));

  const losing = report.components.filter((c) => c.points !== null && c.pointsLost > 0.05);
  if (losing.length > 0) {
    const { shown, more } = limitList(losing, TOP_MEASURES);
    const lines = shown.map((c) => `• *${escapeMrkdwn(c.label)}*: ${formatValue(c.value, c.unit)}${provenanceNote(c.provenance)} (poor ${c.poor}, good ${c.good}, weight ${c.weight}) — *−${c.pointsLost.toFixed(1)} pts*`);
    blocks.push(section(`*What costs the most points*\n${lines.join('\n')}${more ? `\n${more}` : ''}`));
  }
  const unscored = report.components.filter((c) => c.points === null && !isNotInUse(c));
  if (unscored.length > 0) blocks.push(context(`Not scored: ${unscored.map((c) => `${c.label} (${c.stale ? `stale since ${c.observedAt?.slice(0, 10)}` : 'no data'})`).join(', ')}`));
  const unused = report.components.filter(isNotInUse);
  if (unused.length > 0) blocks.push(context(`Not scored: no source for ${unused.map((c) => c.label).join(', ')}`));
  if (report.sentiment) {
    const s = report.sentiment;
    blocks.push(context(`CSM view: *${s.value}/5*${s.note ? ` “${escapeMrkdwn(s.note)}”` : ''}${s.author ? ` — <@${s.author}>` : ''}, ${formatDate(s.observedAt)}${s.expired ? ' (expired, not scored)' : ''}`));
  }
  if (report.openAlert) {
    const a = report.openAlert;
    blocks.push(section(a.claimedBy ? `:eyes: Follow-up claimed by <@${a.claimedBy}>${a.claimedAt ? ` on ${formatDate(a.claimedAt)}` : ''}` : ':rotating_light: Open alert, not claimed yet'));
  }
  if (report.undelivered) {
    const u = report.undelivered;
    blocks.push(section(`:warning: *This alert was not posted to Slack*: ${escapeMrkdwn(u.reason)}. To fix: ${u.fix}.`));
  }
  if (report.actions.length > 0) {
    blocks.push(section(`*Suggested next steps*\n${report.actions.map((a) => `• *${escapeMrkdwn(a.title)}* — ${escapeMrkdwn(a.why)}`).join('\n')}`));
  }
  if (!options.shared) {
    const buttons: KnownBlock = {
      type: 'actions',
      block_id: MESSAGE_BLOCK_IDS.healthActions,
      elements: [{ type: 'button', action_id: ACTION_IDS.shareInChannel, text: { type: 'plain_text', text: 'Share in channel' }, value: String(account.id) }],
    };
    if (report.openAlert && !report.openAlert.claimedBy && buttons.type === 'actions') {
      buttons.elements.push({ type: 'button', action_id: ACTION_IDS.claimFromHealth, style: 'primary', text: { type: 'plain_text', text: 'Claim follow-up' }, value: String(report.openAlert.id) });
    }
    blocks.push(buttons);
  }
  return { text: `${account.name}: ${formatScore(snapshot.score)} (${BAND_LABEL[snapshot.band]})`, blocks: capBlocks(blocks, MAX_MESSAGE_BLOCKS) };
}

function groupLine(g: ReportGroup): string {
  if (g.score === null) return `${BAND_EMOJI.insufficient_data} *${g.label}*: no fresh data (${g.measureCount} measure${g.measureCount === 1 ? '' : 's'})`;
  const partial = g.completeness < 1 ? ` · ${Math.round(g.completeness * 100)}% fresh` : '';
  return `${BAND_EMOJI[g.band]} *${g.label}* ${formatScore(g.score)} · ${formatChange(g.change30d, 30)}${partial}`;
}

export function chooserMessage(query: string, candidates: readonly AccountRef[], total: number): SlackMessage {
  const blocks: KnownBlock[] = [section(`*${total}* accounts match “${escapeMrkdwn(clip(query, 100))}”. Which one?`)];
  blocks.push({
    type: 'actions',
    block_id: MESSAGE_BLOCK_IDS.chooser,
    elements: candidates.slice(0, 10).map((a, i) => ({
      type: 'button' as const,
      action_id: `${ACTION_IDS.chooseAccount}:${i}`,
      text: { type: 'plain_text' as const, text: clip(a.name, 75) },
      value: String(a.id),
    })),
  });
  if (total > candidates.length) blocks.push(context(`…and ${total - candidates.length} more: type more of the name, the domain or the external id.`));
  return { text: `${total} accounts match "${query}"`, blocks };
}

export function noMatchMessage(query: string, near: readonly AccountRef[]): SlackMessage {
  const suggestion = near.length > 0 ? `\nDid you mean ${near.map((a) => `*${escapeMrkdwn(clip(a.name, MAX_NAME_CHARS))}* (\`${escapeMrkdwn(clip(a.externalId, 40))}\`)`).join(', ')}?` : '\nTry part of the name, the domain (acme.com) or the external id.';
  return { text: `No account matches "${query}"`, blocks: [section(`No account matches “${escapeMrkdwn(clip(query, 100))}”.${suggestion}`)] };
}

/** Lines are split across sections by length; the list itself is capped by the caller's query. */
const PORTFOLIO_BLOCKS = 10;

export function portfolioMessage(title: string, entries: readonly PortfolioEntry[], total: number, emptyText: string): SlackMessage {
  if (entries.length === 0) return { text: emptyText, blocks: [section(emptyText)] };
  const blocks: KnownBlock[] = [section(`*${escapeMrkdwn(title)}*`), ...listBlocks(entries.map(portfolioLine), total, PORTFOLIO_BLOCKS)];
  return { text: title, blocks };
}

export function textMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}
