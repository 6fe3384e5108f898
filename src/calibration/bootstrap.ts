// Stratified bootstrap by account: an account with several renewals is drawn
// (or not) with all of them, so two years of one customer do not pass for two
// independent customers; accounts are drawn within their stratum (ever churned
// or never), so every replicate keeps both classes.
import type { Random } from '../demo/seeded-random.js';

export interface Interval {
  low: number;
  high: number;
}

/** Per replicate, how many times each row was drawn. Calls `each` B times with a reused array. */
export function stratifiedAccountBootstrap(
  accountOfRow: readonly number[],
  churned: readonly boolean[],
  replicates: number,
  random: Random,
  each: (counts: Float64Array) => void,
): void {
  const rowsOf = new Map<number, number[]>();
  const everChurned = new Set<number>();
  accountOfRow.forEach((account, row) => {
    const rows = rowsOf.get(account);
    if (rows) rows.push(row);
    else rowsOf.set(account, [row]);
    if (churned[row]) everChurned.add(account);
  });
  const accounts = [...rowsOf.keys()];
  const strata = [accounts.filter((a) => everChurned.has(a)), accounts.filter((a) => !everChurned.has(a))].map((s) => s.map((a) => rowsOf.get(a) ?? []));
  const counts = new Float64Array(accountOfRow.length);
  for (let b = 0; b < replicates; b += 1) {
    counts.fill(0);
    for (const stratum of strata) {
      for (let k = 0; k < stratum.length; k += 1) {
        const rows = stratum[Math.floor(random() * stratum.length)] ?? [];
        for (const row of rows) counts[row] = (counts[row] ?? 0) + 1;
      }
    }
    each(counts);
  }
}

/** The central (1 − α) percentile interval of replicate values (α = 0.05 → 95%). */
export function percentileInterval(values: readonly number[], alpha = 0.05): Interval | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    // Linear interpolation between order statistics (type 7, as R and numpy default).
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    const a = sorted[lo] ?? 0;
    const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
    return a + (h - lo) * (b - a);
  };
  return { low: at(alpha / 2), high: at(1 - alpha / 2) };
}
