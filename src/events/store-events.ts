// The SQL that stores validated events and books them: the INSERT … ON
// CONFLICT (source, messageId) DO NOTHING that is both the storage and the
// de-duplication, and the bookkeeping that follows it (accounts marked
// changed for derivation, the source's newest-message time and per-minute
// count). A batch without group calls — nearly all traffic — is stored by
// ONE statement holding all of it: atomic without an explicit transaction,
// one round trip, and the locks every batch of a source shares (its
// event_sources row, its activity minute) held only for that statement
// rather than across a multi-statement transaction (measured in bench/RESULTS.md).
import type { Prisma } from '../db/database.js';
import { Prisma as Sql } from '../generated/prisma/client.js';
import type { NormalisedEvent } from './segment-message.js';
import { activityMinute, activityPruneBefore } from './source-activity.js';

type Db = Pick<Prisma, '$queryRaw'>;

/** A stored row: its messageId, and the account it was attributed to as it was stored (null: waiting). */
export interface StoredRow {
  m: string;
  a: number | null;
}

/**
 * Stores a batch that has no group call, with its bookkeeping, in one statement: the
 * messageIds that were new (one array, not a row each: less to decode) and how many of
 * them no account claims yet.
 */
export async function storeAndBookEvents(db: Db, sourceId: number, events: readonly NormalisedEvent[], receivedAt: Date): Promise<{ inserted: string[]; waiting: number }> {
  const [row] = await db.$queryRaw<{ inserted: string[]; waiting: number }[]>`
    WITH stored AS (${insertEvents(sourceId, events, receivedAt)}),
    fed AS (SELECT DISTINCT a AS id FROM stored WHERE a IS NOT NULL),
    counted AS (SELECT count(*)::int AS n FROM stored),
    ${bookkeeping(sourceId, receivedAt)}
    SELECT coalesce(array_agg(m), '{}') AS inserted, (count(*) FILTER (WHERE a IS NULL))::int AS waiting FROM stored`;
  return row ?? { inserted: [], waiting: 0 };
}

/** The INSERT alone, for a batch with group calls: they are applied between it and bookEvents, in the caller's transaction. */
export async function storeEventsOnly(db: Db, sourceId: number, events: readonly NormalisedEvent[], receivedAt: Date): Promise<StoredRow[]> {
  return db.$queryRaw<StoredRow[]>`${insertEvents(sourceId, events, receivedAt)}`;
}

/** The bookkeeping of storeAndBookEvents for accounts and a count known beforehand. */
export async function bookEvents(db: Db, sourceId: number, fedAccountIds: ReadonlySet<number>, accepted: number, receivedAt: Date): Promise<void> {
  await db.$queryRaw`
    WITH fed AS (SELECT DISTINCT f.id FROM unnest(${[...fedAccountIds]}::int[]) AS f(id)),
    counted AS (SELECT ${accepted}::int AS n),
    ${bookkeeping(sourceId, receivedAt)}
    SELECT 1 AS done`;
}

function insertEvents(sourceId: number, events: readonly NormalisedEvent[], receivedAt: Date): Sql.Sql {
  const rows = JSON.stringify(
    events.map((e) => ({ m: e.messageId, t: e.type, e: e.event, u: e.userId, a: e.anonymousId, k: e.userKey, g: e.groupId, ts: e.timestamp.toISOString(), p: e.properties, c: e.context })),
  );
  // Attributed as it is stored: a group call to its groupId; anything else to
  // the account its hint names, else its user's newest group. New group calls
  // are applied just after (applyGroupCalls), and then attribute what they unblock.
  return Sql.sql`
    INSERT INTO events (source_id, message_id, type, event, user_id, anonymous_id, user_key, group_id, account_id, timestamp, received_at, properties, context)
    SELECT ${sourceId}::int, r.m, r.t, r.e, r.u, r.a, r.k, r.g,
           CASE WHEN r.t = 'group' THEN NULL
                WHEN r.g IS NOT NULL THEN (SELECT id FROM accounts WHERE external_id = r.g)
                ELSE (SELECT l.account_id FROM event_user_accounts l WHERE l.user_key = r.k ORDER BY l.linked_at DESC, l.account_id DESC LIMIT 1) END,
           r.ts::timestamptz, ${receivedAt}::timestamptz, r.p, r.c
    FROM jsonb_to_recordset(${rows}::jsonb) AS r(m text, t text, e text, u text, a text, k text, g text, ts text, p jsonb, c jsonb)
    ON CONFLICT (source_id, message_id) DO NOTHING
    RETURNING message_id AS m, account_id AS a`;
}

/**
 * CTEs over `fed(id)` (accounts with new events) and `counted(n)` (messages
 * stored). Each step reads the one before, which fixes the lock order
 * (event_accounts rows in id order, then the source's row, then its minute)
 * the same for every batch, so concurrent batches never deadlock.
 *
 * Accounts marked changed in the last 30 s are left alone: busy accounts appear in every
 * batch, and locking their rows each time serialised concurrent batches. The derivation
 * looks back 5 minutes before its previous pass, so a mark that recent is never missed.
 */
function bookkeeping(sourceId: number, receivedAt: Date): Sql.Sql {
  return Sql.sql`
    marked AS (
      INSERT INTO event_accounts (account_id, changed_at)
      SELECT f.id, now() FROM fed f
      WHERE NOT EXISTS (SELECT 1 FROM event_accounts x WHERE x.account_id = f.id AND x.changed_at > now() - interval '30 seconds')
      ORDER BY f.id
      ON CONFLICT (account_id) DO UPDATE SET changed_at = now()
      RETURNING account_id),
    touched AS (
      UPDATE event_sources SET last_message_at = greatest(coalesce(last_message_at, ${receivedAt}::timestamptz), ${receivedAt}::timestamptz)
      WHERE id = ${sourceId} AND (SELECT count(*) FROM marked) >= 0
      RETURNING id),
    bumped AS (
      INSERT INTO event_source_activity (source_id, minute, accepted, refused)
      SELECT ${sourceId}, ${activityMinute(receivedAt)}::timestamptz, c.n, 0 FROM counted c
      WHERE c.n > 0 AND (SELECT count(*) FROM touched) >= 0
      ON CONFLICT (source_id, minute) DO UPDATE SET accepted = event_source_activity.accepted + EXCLUDED.accepted
      RETURNING source_id),
    -- Cheap (the primary key's leading column), and keeps the table to two days of minutes per source.
    pruned AS (
      DELETE FROM event_source_activity
      WHERE source_id = ${sourceId} AND minute < ${activityPruneBefore(receivedAt)}::timestamptz AND (SELECT count(*) FROM bumped) >= 0
      RETURNING source_id)`;
}
