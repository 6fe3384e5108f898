// What each event source did lately, for `account-health source list` and App
// Home: messages accepted and deliveries refused per minute (summed over the
// last 24 hours), the newest message, the newest refusal's reason, and how
// many messages of the last 24 hours still wait for an account.
import type { Prisma } from '../db/database.js';

type Db = Pick<Prisma, '$queryRaw' | '$executeRaw'>;

/** Activity rows older than this are pruned as new ones are written. */
const KEEP_ACTIVITY_MS = 2 * 24 * 3_600_000;
export const ACTIVITY_WINDOW_MS = 24 * 3_600_000;

/**
 * Counts refused deliveries (or messages) and keeps the reason as the source's
 * last error. Accepted messages are counted by the statement that stores them (store-events.ts).
 */
export async function recordRefused(db: Db, sourceId: number, reason: string, at: Date, refused = 1): Promise<void> {
  await db.$executeRaw`
    UPDATE event_sources SET last_error = ${reason.slice(0, 500)}, last_error_at = ${at}::timestamptz
    WHERE id = ${sourceId} AND (last_error_at IS NULL OR last_error_at <= ${at}::timestamptz)`;
  await db.$executeRaw`
    INSERT INTO event_source_activity (source_id, minute, accepted, refused) VALUES (${sourceId}, ${activityMinute(at)}::timestamptz, 0, ${refused})
    ON CONFLICT (source_id, minute) DO UPDATE SET refused = event_source_activity.refused + EXCLUDED.refused`;
  // Cheap (the primary key's leading column), and keeps the table to two days of minutes per source.
  await db.$executeRaw`DELETE FROM event_source_activity WHERE source_id = ${sourceId} AND minute < ${activityPruneBefore(at)}::timestamptz`;
}

/** The activity row a count made at `at` goes to. */
export function activityMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/** Activity rows older than this are pruned when a count is made at `at`. */
export function activityPruneBefore(at: Date): Date {
  return new Date(at.getTime() - KEEP_ACTIVITY_MS);
}

export interface SourceActivity {
  sourceId: number;
  lastMessageAt: Date | null;
  /** In the last 24 hours. */
  accepted: number;
  refused: number;
  /** Messages received in the last 24 hours that no account claims yet. */
  waiting: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export async function sourceActivity(db: Db, now: Date): Promise<Map<number, SourceActivity>> {
  const since = new Date(now.getTime() - ACTIVITY_WINDOW_MS);
  const rows = await db.$queryRaw<{ id: number; last_message_at: Date | null; accepted: number; refused: number; waiting: number; last_error: string | null; last_error_at: Date | null }[]>`
    SELECT s.id, s.last_message_at, s.last_error, s.last_error_at,
           coalesce((SELECT sum(a.accepted) FROM event_source_activity a WHERE a.source_id = s.id AND a.minute > ${since}::timestamptz), 0)::int AS accepted,
           coalesce((SELECT sum(a.refused) FROM event_source_activity a WHERE a.source_id = s.id AND a.minute > ${since}::timestamptz), 0)::int AS refused,
           (SELECT count(*) FROM events e WHERE e.source_id = s.id AND e.account_id IS NULL AND e.received_at > ${since}::timestamptz)::int AS waiting
    FROM event_sources s`;
  return new Map(
    rows.map((r) => [r.id, { sourceId: r.id, lastMessageAt: r.last_message_at, accepted: r.accepted, refused: r.refused, waiting: r.waiting, lastError: r.last_error, lastErrorAt: r.last_error_at }]),
  );
}
