// Alerts are news: only a recomputation of the present may open, escalate or
// resolve one. Scoring a past date (`recompute --as-of 2026-10-01`, backfills)
// writes history; judging it as news once posted "health fell — 0/100" about an
// account that had since recovered, then an automatic "resolved" reply.

/**
 * How far behind the clock an as-of may be and still be "now": a scheduled
 * tick's as-of is its cron slot (a run may start a little late), and
 * `recompute` without --as-of is the present itself.
 */
export const LIVE_TOLERANCE_MS = 60 * 60_000;

/** Whether a run at `asOf` judges the present (alerts) or writes history only. */
export function judgesThePresent(asOf: Date, now: Date): boolean {
  return asOf.getTime() >= now.getTime() - LIVE_TOLERANCE_MS;
}

/** The UTC calendar day of `d`, as the alert message names it. */
export function calendarDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * The day an alert was judged at, when it is not today: a message delivered
 * or refreshed later (Slack was down, a claim re-renders an old alert) says
 * which day's scores it describes. Null when it is today's.
 */
export function judgedDayIfNotToday(judgedAt: Date | null | undefined, now: Date): string | null {
  if (!judgedAt) return null;
  const day = calendarDay(judgedAt);
  return day === calendarDay(now) ? null : day;
}
