// The as-of of a scheduled recomputation is the cron slot it was scheduled
// for, not when this process got round to it: node-cron 4 passes the slot as
// `context.date` (whole seconds, from its time matcher) and the wall time of
// the callback as `context.triggeredAt`. Replicas whose event loops wake late
// (GC pause, a busy listener) must still agree on the as-of, or the per-tick
// "already ran" check misses and the tick runs twice.
export function tickAsOf(context: { date: Date }): Date {
  return new Date(Math.floor(context.date.getTime() / 1000) * 1000);
}

/**
 * A slot on the wall clock, moved onto the app's clock. Serving, the two agree
 * (the shift rounds to zero); the sandbox runs its clock days ahead, and its
 * scheduled ticks must score "today" on that clock, not in its past.
 */
export function onAppClock(slot: Date, clock: () => Date, wallNow: number = Date.now()): Date {
  const shiftMs = Math.round((clock().getTime() - wallNow) / 1000) * 1000;
  return new Date(slot.getTime() + shiftMs);
}
