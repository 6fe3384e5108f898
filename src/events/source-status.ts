// How a source is doing, in words: the same summary for `source list` and App
// Home. Pure: the listing and the activity in, one line of text out.
import type { SourceActivity } from './source-activity.js';

export interface SourceStatusInput {
  name: string;
  kind: string;
  revokedAt: Date | null;
}

const EMPTY = { lastMessageAt: null, accepted: 0, refused: 0, waiting: 0, lastError: null, lastErrorAt: null } as const;

/** "last message 2026-11-20T15:20:06Z · last 24 h: 5 accepted, 1 refused, 1 waiting for an account · last error (…): …" */
export function describeSourceStatus(activity: Omit<SourceActivity, 'sourceId'> | undefined): string {
  const a = activity ?? EMPTY;
  const parts = [
    a.lastMessageAt ? `last message ${iso(a.lastMessageAt)}` : 'no message yet',
    `last 24 h: ${a.accepted} accepted, ${a.refused} refused, ${a.waiting} waiting for an account`,
  ];
  if (a.lastError) parts.push(`last error${a.lastErrorAt ? ` (${iso(a.lastErrorAt)})` : ''}: ${a.lastError}`);
  return parts.join(' · ');
}

function iso(at: Date): string {
  return at.toISOString().replace(/\.000Z$/, 'Z');
}
