// Whole-number weights that sum exactly to a total (100 by default) by the
// largest-remainder method; measures that would get less than the minimum are
// dropped and the rest re-rounded, so a suggestion never carries noise-sized
// weights that only clutter the breakdown.

export function largestRemainder(shares: readonly number[], total: number): number[] {
  const sum = shares.reduce((a, b) => a + Math.max(0, b), 0);
  if (sum <= 0 || total <= 0) return shares.map(() => 0);
  const exact = shares.map((s) => (Math.max(0, s) / sum) * total);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  // Ties broken by the larger share, then by position, so the result is deterministic.
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e), e })).sort((a, b) => b.r - a.r || b.e - a.e || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/** Rounds to `total`, dropping (to 0) any share that rounds below `minimum`, repeatedly. */
export function roundWeights(shares: readonly number[], total = 100, minimum = 5): number[] {
  const kept = shares.map((s) => Math.max(0, s));
  for (;;) {
    const rounded = largestRemainder(kept, total);
    const smallest = rounded.reduce<number | null>((worst, w, i) => ((kept[i] ?? 0) > 0 && w < minimum && (worst === null || (kept[i] ?? 0) < (kept[worst] ?? 0)) ? i : worst), null);
    if (smallest === null) return rounded;
    // Drop one at a time (the smallest): dropping one lifts the others, which may then clear the bar.
    kept[smallest] = 0;
  }
}
