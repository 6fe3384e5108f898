// Types for mrkdwn.js (a browser module served as is, without a build step).
export interface MentionNames {
  users?: Record<string, string>;
  channels?: Record<string, string>;
}
export function escapeHtml(text: string): string;
export function decodeSlackEntities(text: string): string;
export function emojify(escapedHtml: string): string;
export function plainTextToHtml(text: string | undefined, emoji?: boolean): string;
export function mrkdwnToHtml(text: string | undefined, names?: MentionNames): string;
