// The outbox rows' state changes, each one fenced by the lease.
//
// A row's `locked_until` doubles as its fencing token: a deliverer may only
// change a row while `locked_until` still equals the value it set. Another
// replica can lease the row only after that instant has passed, and then sets
// a strictly later value, so a stale holder's conditional UPDATE matches
// nothing and it backs off instead of posting or overwriting what the new
// holder did. (Real case: 200 rows leased for 60 s, sent serially at ~1 s per
// channel with 10 s timeouts, outlive their lease.)
import type { Prisma } from '../db/database.js';

export interface OutboxRow {
  id: bigint;
  alert_id: number | null;
  kind: string;
  channel_id: string | null;
  payload: unknown;
  idempotency_key: string;
  status: string;
  attempts: number;
  created_at: Date;
  /** The lease this deliverer holds: the fencing token for every change. */
  locked_until: Date;
}

const ACTIVE = ['pending', 'sending'];

/** Leases due rows. Attempts are counted when a row is claimed for sending, not here. */
export async function leaseDueRows(prisma: Prisma, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  return prisma.$queryRaw<OutboxRow[]>`
    UPDATE slack_outbox SET locked_until = ${new Date(now.getTime() + leaseMs)}
    WHERE id IN (
      SELECT id FROM slack_outbox
      WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})
      ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, alert_id, kind, channel_id, payload, idempotency_key, status, attempts, created_at, locked_until`;
}

/**
 * Claims a leased row right before it is sent: still ours (same token), still
 * undelivered. Renews the lease for the send, counts the attempt and marks
 * posts and replies `sending` (so a crash from here on looks in Slack first).
 * Returns the row with its new token, or null when another holder has it.
 */
export async function claimRow(prisma: Prisma, row: OutboxRow, now: Date, leaseMs: number): Promise<OutboxRow | null> {
  const claimed = await prisma.$queryRaw<{ attempts: number; locked_until: Date }[]>`
    UPDATE slack_outbox
    SET locked_until = ${new Date(now.getTime() + leaseMs)}, attempts = attempts + 1,
        status = CASE WHEN kind = 'update' THEN status ELSE 'sending' END
    WHERE id = ${row.id} AND locked_until = ${row.locked_until} AND status IN ('pending', 'sending')
    RETURNING attempts, locked_until`;
  const won = claimed[0];
  return won ? { ...row, attempts: won.attempts, locked_until: won.locked_until } : null;
}

/** Records a delivered row (and, for the post, the alert's message ts). False if the lease was lost. */
export async function recordSent(prisma: Prisma, row: OutboxRow, ts: string, now: Date): Promise<boolean> {
  // One statement, so it is atomic without holding a transaction open (PGlite
  // has one connection; interactive transactions queue behind each other).
  const [result] = await prisma.$queryRaw<{ n: number }[]>`
    WITH done AS (
      UPDATE slack_outbox SET status = 'sent', slack_ts = ${ts}, sent_at = ${now}, locked_until = NULL, last_error = NULL
      WHERE id = ${row.id} AND locked_until = ${row.locked_until} AND status IN ('pending', 'sending')
      RETURNING alert_id, kind, channel_id),
    posted AS (
      UPDATE alerts SET slack_ts = ${ts}, slack_channel_id = done.channel_id, updated_at = now()
      FROM done WHERE done.kind = 'post' AND alerts.id = done.alert_id
      RETURNING alerts.id)
    SELECT count(*)::int AS n FROM done`;
  return result?.n === 1;
}

export interface Release {
  status: 'pending' | 'sending';
  nextAttemptAt: Date;
  why: string;
  /** -1 gives back an attempt that was not the row's fault (rate limit); +1 counts one made before the claim. */
  attemptsDelta?: -1 | 0 | 1;
}

/** Hands the row back for a later try. False if the lease was lost. */
export async function releaseRow(prisma: Prisma, row: OutboxRow, release: Release): Promise<boolean> {
  const delta = release.attemptsDelta ?? 0;
  const done = await prisma.slackOutbox.updateMany({
    where: { id: row.id, lockedUntil: row.locked_until, status: { in: ACTIVE } },
    data: {
      status: release.status,
      lastError: release.why.slice(0, 500),
      lockedUntil: null,
      nextAttemptAt: release.nextAttemptAt,
      ...(delta === 0 ? {} : { attempts: delta > 0 ? { increment: 1 } : { decrement: 1 } }),
    },
  });
  return done.count === 1;
}

/**
 * Slack asked the whole channel to wait (429 + Retry-After): every queued row
 * of the channel waits, not just the one that hit the limit.
 */
export async function deferChannel(prisma: Prisma, channelId: string, until: Date): Promise<number> {
  const moved = await prisma.slackOutbox.updateMany({
    where: { channelId, status: { in: ACTIVE }, nextAttemptAt: { lt: until } },
    data: { nextAttemptAt: until },
  });
  return moved.count;
}

/**
 * Marks the row failed for good. When it was the alert's post, everything
 * queued behind it (updates, thread replies) can never be sent either: those
 * fail too, with the reason, instead of waiting for a post that will not come.
 * Returns false (and changes nothing) if the lease was lost.
 */
export async function failRow(prisma: Prisma, row: OutboxRow, why: string): Promise<boolean> {
  const [result] = await prisma.$queryRaw<{ n: number }[]>`
    WITH failed AS (
      UPDATE slack_outbox SET status = 'failed', last_error = ${why.slice(0, 500)}, locked_until = NULL
      WHERE id = ${row.id} AND locked_until = ${row.locked_until} AND status IN ('pending', 'sending')
      RETURNING alert_id, kind),
    behind AS (
      UPDATE slack_outbox o SET status = 'failed', last_error = ${`not sent: the alert post failed (${why})`.slice(0, 500)}, locked_until = NULL
      FROM failed WHERE failed.kind = 'post' AND o.alert_id = failed.alert_id AND o.kind <> 'post' AND o.status IN ('pending', 'sending')
      RETURNING o.id)
    SELECT count(*)::int AS n FROM failed`;
  return result?.n === 1;
}

/**
 * Moves an alert whose channel cannot take it to the fallback channel: the
 * post (starting over, with a note of where it should have gone), the alert's
 * channel (so claims on the new message find it), and anything queued behind.
 */
export async function rerouteAlertPost(prisma: Prisma, row: OutboxRow, fallbackChannelId: string, why: string, now: Date): Promise<boolean> {
  if (row.alert_id === null || row.kind !== 'post') return false;
  const note = JSON.stringify({ reroutedFrom: row.channel_id, reason: why });
  const [result] = await prisma.$queryRaw<{ n: number }[]>`
    WITH moved AS (
      UPDATE slack_outbox
      SET channel_id = ${fallbackChannelId}, status = 'pending', attempts = 0, locked_until = NULL, next_attempt_at = ${now},
          payload = ${note}::jsonb, last_error = ${`rerouted from ${row.channel_id ?? 'no channel'}: ${why}`.slice(0, 500)}
      WHERE id = ${row.id} AND locked_until = ${row.locked_until} AND status IN ('pending', 'sending')
      RETURNING alert_id),
    alert AS (
      UPDATE alerts SET slack_channel_id = ${fallbackChannelId}, updated_at = now()
      FROM moved WHERE alerts.id = moved.alert_id
      RETURNING alerts.id),
    behind AS (
      UPDATE slack_outbox o SET channel_id = ${fallbackChannelId}
      FROM moved WHERE o.alert_id = moved.alert_id AND o.kind <> 'post' AND o.status IN ('pending', 'sending')
      RETURNING o.id)
    SELECT count(*)::int AS n FROM moved`;
  return result?.n === 1;
}

/** The state of an alert's post, for rows that must wait for it. */
export async function findPostRow(prisma: Prisma, alertId: number): Promise<{ status: string; lastError: string | null; payload: unknown } | null> {
  return prisma.slackOutbox.findFirst({ where: { alertId, kind: 'post' }, select: { status: true, lastError: true, payload: true }, orderBy: { id: 'asc' } });
}
