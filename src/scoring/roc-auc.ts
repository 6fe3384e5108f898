// How well a score separates churned from retained accounts: the probability
// that a randomly chosen churned account scored LOWER than a randomly chosen
// retained one (ties count half). 1 = perfect warning, 0.5 = coin flip.
export interface OutcomeSample {
  score: number;
  /** true = churned. */
  positive: boolean;
}

export function rocAuc(samples: readonly OutcomeSample[]): number | null {
  const positives = samples.filter((s) => s.positive).length;
  const negatives = samples.length - positives;
  if (positives === 0 || negatives === 0) return null;
  // Rank-sum (Mann–Whitney U) in O(n log n): rank by score ascending, average ranks over ties.
  const sorted = [...samples].sort((a, b) => a.score - b.score);
  let rankSumOfRetained = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]?.score === sorted[i]?.score) j += 1;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) if (!sorted[k]?.positive) rankSumOfRetained += averageRank;
    i = j + 1;
  }
  // U counts (churned, retained) pairs where the retained account scored higher.
  const u = rankSumOfRetained - (negatives * (negatives + 1)) / 2;
  return u / (positives * negatives);
}
