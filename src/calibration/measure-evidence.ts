// Each measure on its own: how well its points separate churned from renewed
// outcomes, which way it points, how often it is missing, and which other
// measures say nearly the same thing (|r| > 0.7), so an admin reading the
// suggestion knows why two correlated measures share weight oddly.
import { aucOf } from './weighted-auc.js';
import { pearson } from './calendar-measures.js';
import type { CalibrationMeasure, CalibrationRow, MeasureEvidence } from './types.js';

export const OVERLAP_R = 0.7;
/** Fewer rows with a value than this in either class: the measure's AUC is not shown. */
const MIN_PER_CLASS = 3;
/** |AUC − 0.5| below this reads as "no signal". */
const NO_SIGNAL = 0.02;

/** AUC of one measure's points over the given rows (churned scoring lower = separates). */
export function measureAuc(rows: readonly CalibrationRow[], j: number, subset?: ArrayLike<number>): number | null {
  const scores: number[] = [];
  const churned: boolean[] = [];
  let c = 0;
  const count = subset ? subset.length : rows.length;
  for (let k = 0; k < count; k += 1) {
    const row = rows[subset ? (subset[k] ?? 0) : k];
    const p = row?.points[j];
    if (!row || p === null || p === undefined) continue;
    scores.push(p);
    churned.push(row.churned);
    if (row.churned) c += 1;
  }
  if (c < MIN_PER_CLASS || scores.length - c < MIN_PER_CLASS) return null;
  return aucOf(scores, churned);
}

export function describeMeasures(measures: readonly CalibrationMeasure[], rows: readonly CalibrationRow[], calendar: readonly (string | null)[]): Omit<MeasureEvidence, 'suggestedWeight'>[] {
  const columns = measures.map((_, j) => rows.map((r) => r.points[j] ?? null));
  return measures.map((measure, j) => {
    const auc = measureAuc(rows, j);
    const missing = rows.length === 0 ? 0 : columns[j]?.filter((p) => p === null).length ?? 0;
    const overlaps = measures.flatMap((other, k) => {
      if (k === j) return [];
      const r = pearson(columns[j] ?? [], columns[k] ?? []);
      return r !== null && Math.abs(r) > OVERLAP_R ? [{ metricKey: other.metricKey, r: Math.round(r * 100) / 100 }] : [];
    });
    return {
      metricKey: measure.metricKey,
      auc,
      direction: auc === null ? 'unknown' : Math.abs(auc - 0.5) < NO_SIGNAL ? 'no_signal' : auc < 0.5 ? 'points_wrong_way' : 'separates',
      missingShare: rows.length === 0 ? 0 : missing / rows.length,
      overlaps,
      calendar: calendar[j] ?? null,
      currentWeight: measure.currentWeight,
    };
  });
}
