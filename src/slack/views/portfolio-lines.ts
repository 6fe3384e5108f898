// One line per account or follow-up, for /health at-risk, /health mine and App
// Home. Names are shortened so a line stays short, and lists are split across
// sections by length, so no line is cut mid-way (a cut could split a mention).
import type { KnownBlock } from '@slack/types';
import { BAND_EMOJI, formatScore } from '../../reports/format.js';
import type { FollowUp } from '../../reports/list-follow-ups.js';
import type { PortfolioEntry } from '../../reports/list-portfolio.js';
import { clip, context, escapeMrkdwn, lineSections } from './block-limits.js';

export const MAX_NAME_CHARS = 60;
const MAX_ID_CHARS = 40;

const name = (text: string) => escapeMrkdwn(clip(text, MAX_NAME_CHARS));
// Shown in a code span, which a backtick would end.
const id = (text: string) => escapeMrkdwn(clip(text, MAX_ID_CHARS)).replace(/`/g, 'ˋ');

export function portfolioLine(e: PortfolioEntry): string {
  const alert = e.openAlertId ? (e.claimedBy ? ` · :eyes: <@${e.claimedBy}>` : ' · :rotating_light: unclaimed') : '';
  const weakest = e.weakestGroup ? ` · weakest: ${e.weakestGroup.label.toLowerCase()} ${Math.floor(e.weakestGroup.score + 1e-9)}` : '';
  return `${BAND_EMOJI[e.band]} *${formatScore(e.score)}* ${name(e.name)} \`${id(e.externalId)}\`${weakest}${alert}`;
}

export function followUpLine(f: FollowUp): string {
  return `• *${name(f.accountName)}* \`${id(f.externalId)}\` — alert #${f.alertId}, ${f.claimedBy ? `claimed by <@${f.claimedBy}>` : 'unclaimed'}, opened ${f.openedAt.toISOString().slice(0, 10)}`;
}

/**
 * The lines as sections (at most `maxBlocks` of them), then "…and N more"
 * counted from the lines actually shown against `total`.
 */
export function listBlocks(lines: readonly string[], total: number, maxBlocks: number): KnownBlock[] {
  const { blocks, shown } = lineSections(lines, maxBlocks);
  const more = total - shown;
  return more > 0 ? [...blocks, context(`…and ${more} more`)] : blocks;
}
