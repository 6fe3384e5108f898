// Slack's limits, enforced in one place: 50 blocks per message, 100 per view,
// 3,000 characters per section text, 75 per button label, 150 per header.
import type { KnownBlock } from '@slack/types';

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
export const MAX_SECTION_TEXT = 3_000;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A mrkdwn section; long text is cut at Slack's limit, never rejected by Slack. */
export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, MAX_SECTION_TEXT) } };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, MAX_SECTION_TEXT) }] };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, 150), emoji: true } };
}

/**
 * Packs whole lines into sections of at most `maxChars` characters, using at
 * most `maxBlocks` sections, in order. A line is never cut (a long one is
 * clipped on its own); `shown` says how many lines made it, so "…and N more"
 * can be counted from what is really on screen.
 */
export function lineSections(lines: readonly string[], maxBlocks: number, maxChars = MAX_SECTION_TEXT): { blocks: KnownBlock[]; shown: number } {
  const blocks: KnownBlock[] = [];
  let current: string[] = [];
  let length = 0;
  let shown = 0;
  for (const raw of lines) {
    const line = clip(raw, maxChars);
    const added = current.length === 0 ? line.length : length + 1 + line.length;
    if (added > maxChars) {
      if (blocks.length + 1 >= maxBlocks) break;
      blocks.push(section(current.join('\n')));
      current = [line];
      length = line.length;
    } else {
      current.push(line);
      length = added;
    }
    shown += 1;
  }
  if (current.length > 0 && blocks.length < maxBlocks) blocks.push(section(current.join('\n')));
  return { blocks, shown };
}

/** Shows at most `max` items, then "and N more". */
export function limitList<T>(items: readonly T[], max: number, total = items.length): { shown: readonly T[]; more: string | null } {
  const shown = items.slice(0, max);
  const rest = total - shown.length;
  return { shown, more: rest > 0 ? `…and ${rest} more` : null };
}

/** Keeps a block list within a limit, replacing the overflow with a note. */
export function capBlocks(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), context(`…and ${blocks.length - max + 1} more blocks not shown`)];
}

/** Escapes user-provided text for mrkdwn (Slack's three control characters). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
