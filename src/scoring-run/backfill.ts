// Scores for past dates from the history already in the data, so trends (and
// alerts judged against history) exist from the day data is imported.
import { recomputeScores, type RecomputeDeps, type RecomputeResult } from './recompute.js';

const DAY_MS = 86_400_000;

export interface BackfillOptions {
  from: Date;
  to: Date;
  stepDays: number;
  /** Only these accounts; default every account in scope at each date. */
  accountIds?: readonly number[];
}

export async function backfillScores(deps: RecomputeDeps, options: BackfillOptions): Promise<RecomputeResult[]> {
  if (!(options.stepDays >= 1)) throw new RangeError('stepDays must be at least 1');
  if (options.from.getTime() > options.to.getTime()) throw new RangeError('from must not be after to');
  const results: RecomputeResult[] = [];
  for (let t = options.from.getTime(); t <= options.to.getTime(); t += options.stepDays * DAY_MS) {
    results.push(
      await recomputeScores(deps, { trigger: 'backfill', asOf: new Date(t), skipExisting: true, ...(options.accountIds ? { accountIds: options.accountIds } : {}) }),
    );
  }
  return results;
}
