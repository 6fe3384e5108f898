// The event sources' status lines admins see in App Home: active sources only,
// each as `source list` describes it.
import type { Prisma } from '../db/database.js';
import { listEventSources } from './event-sources.js';
import { sourceActivity } from './source-activity.js';
import { describeSourceStatus } from './source-status.js';

/** At most this many sources are listed in App Home; `source list` has them all. */
export const HOME_SOURCE_LINES = 10;

export async function loadSourceStatusLines(prisma: Prisma, now: Date): Promise<{ lines: string[]; total: number }> {
  const active = (await listEventSources(prisma)).filter((s) => s.revokedAt === null);
  if (active.length === 0) return { lines: [], total: 0 };
  const activity = await sourceActivity(prisma, now);
  const lines = active.slice(0, HOME_SOURCE_LINES).map((s) => `*${s.name}* (${s.kind}) — ${describeSourceStatus(activity.get(s.id))}`.slice(0, 290));
  return { lines, total: active.length };
}
