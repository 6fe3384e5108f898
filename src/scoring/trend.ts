// Trend from stored snapshots: change over 7 and 30 days and a weekly sparkline.
// Snapshots are change points: each score holds until the next one.
// Pure date arithmetic on UTC instants, so DST changes cannot shift a window.
const DAY_MS = 86_400_000;
const SPARKS = '▁▂▃▄▅▆▇█';

export interface ScorePoint {
  asOf: Date;
  score: number | null;
}

export interface Trend {
  change7d: number | null;
  change30d: number | null;
  /** One character per week, oldest first; a space where a week has no score. */
  sparkline: string;
}

/** The newest scored point at or before `at`. */
function scoreAtOrBefore(sorted: ScorePoint[], at: number): number | null {
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const point = sorted[i];
    if (point && point.asOf.getTime() <= at && point.score !== null) return point.score;
  }
  return null;
}

export function computeTrend(history: readonly ScorePoint[], now: Date, weeks = 12): Trend {
  const sorted = [...history].filter((p) => p.asOf.getTime() <= now.getTime()).sort((a, b) => a.asOf.getTime() - b.asOf.getTime());
  const current = scoreAtOrBefore(sorted, now.getTime());
  const change = (days: number) => {
    const past = scoreAtOrBefore(sorted, now.getTime() - days * DAY_MS);
    return current === null || past === null ? null : Math.round((current - past) * 10) / 10;
  };
  // Snapshots are written when a score changes: a week without one still has
  // the score in force at its end. Before the first snapshot, or while data was
  // insufficient, the week stays blank.
  let sparkline = '';
  for (let w = weeks - 1; w >= 0; w -= 1) {
    const end = now.getTime() - w * 7 * DAY_MS;
    const last = sorted.findLast((p) => p.asOf.getTime() <= end)?.score;
    sparkline += last === undefined || last === null ? ' ' : (SPARKS[Math.min(7, Math.floor((last / 100) * 8))] ?? ' ');
  }
  return { change7d: change(7), change30d: change(30), sparkline };
}
