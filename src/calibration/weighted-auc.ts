// ROC AUC for resampled data without re-sorting: the rows are ranked once,
// and each bootstrap replicate only says how many times each row was drawn.
// Same definition as scoring/roc-auc.ts: the probability that a churned row
// scored LOWER than a renewed one, ties counting half.
import { rocAuc } from '../scoring/roc-auc.js';

/** Rows grouped by equal score, lowest first: computed once per score vector. */
export interface RankedScores {
  /** Row indices in ascending score order. */
  order: Int32Array;
  /** Start offsets into `order` of each group of equal scores, plus the end. */
  groupStarts: Int32Array;
}

export function rankScores(scores: ArrayLike<number>): RankedScores {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  const starts: number[] = [];
  for (let i = 0; i < order.length; i += 1) {
    if (i === 0 || scores[order[i] ?? 0] !== scores[order[i - 1] ?? 0]) starts.push(i);
  }
  starts.push(order.length);
  return { order, groupStarts: Int32Array.from(starts) };
}

/**
 * AUC where row i counts `counts[i]` times (a bootstrap replicate), O(n).
 * null when either class is absent.
 */
export function weightedAuc(ranked: RankedScores, churned: ArrayLike<boolean>, counts: ArrayLike<number> | null): number | null {
  const { order, groupStarts } = ranked;
  let renewedTotal = 0;
  let pairs = 0;
  let churnedTotal = 0;
  for (let g = 0; g + 1 < groupStarts.length; g += 1) {
    let churnedHere = 0;
    let renewedHere = 0;
    for (let k = groupStarts[g] ?? 0; k < (groupStarts[g + 1] ?? 0); k += 1) {
      const row = order[k] ?? 0;
      const c = counts === null ? 1 : (counts[row] ?? 0);
      if (churned[row]) churnedHere += c;
      else renewedHere += c;
    }
    // Each renewed row here outscores every churned row of the lower groups, and ties half of those here.
    pairs += renewedHere * churnedTotal + 0.5 * renewedHere * churnedHere;
    churnedTotal += churnedHere;
    renewedTotal += renewedHere;
  }
  if (churnedTotal === 0 || renewedTotal === 0) return null;
  return pairs / (churnedTotal * renewedTotal);
}

/** Plain AUC of a score vector (no resampling). */
export function aucOf(scores: readonly number[], churned: readonly boolean[]): number | null {
  return rocAuc(scores.map((score, i) => ({ score, positive: churned[i] === true })));
}
