// Types for emoji.js (a browser module served as is, without a build step).
export const EMOJI: Record<string, string>;
export function emojiFor(name: string): string | null;
