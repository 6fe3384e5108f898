// The score formula of scoring/compute-score.ts applied to points already
// computed (freshness decided by the dataset builder): the weighted mean over
// measures with points, null below the minimum completeness. Lets a candidate
// weighting be scored on thousands of outcomes without re-reading any data.

export function scoreFromPoints(weights: readonly number[], points: readonly (number | null)[], minCompleteness: number): number | null {
  let total = 0;
  let fresh = 0;
  let weighted = 0;
  for (let j = 0; j < weights.length; j += 1) {
    const w = weights[j] ?? 0;
    total += w;
    const p = points[j];
    if (p === null || p === undefined || w <= 0) continue;
    fresh += w;
    weighted += w * p;
  }
  if (total <= 0 || fresh === 0 || fresh / total < minCompleteness) return null;
  return Math.round((weighted / fresh) * 10) / 10;
}
