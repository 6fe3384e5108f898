// Types for render-blocks.js (a browser module served as is, without a build step).
import type { MentionNames } from './mrkdwn.js';

export interface RenderContext {
  names?: MentionNames;
  /** Inline errors by block_id (modals). */
  errors?: Record<string, string>;
}
export function textToHtml(text: unknown, ctx?: RenderContext): string;
export function elementToHtml(element: unknown, blockId: string, ctx?: RenderContext): string;
export function blockToHtml(block: unknown, ctx?: RenderContext): string;
export function blocksToHtml(blocks: unknown, ctx?: RenderContext): string;
export function messageBodyToHtml(message: { text?: string; blocks?: unknown[] | null }, ctx?: RenderContext): string;
export function strayErrors(view: unknown, errors: Record<string, string> | undefined): string[];
export function imageSource(block: { image_url?: unknown; slack_file?: { id?: unknown; url?: unknown } }): string | undefined;
