// Rows that repeat a key within one file or API call: the later row wins, and
// the earlier one is reported as superseded rather than silently overwritten.
// Keys are remembered across a file's batches up to a bound, so a very large
// file keeps streaming in bounded memory (beyond it, only repeats within a
// batch are reported; the later row still wins).

export interface Superseded<P> {
  /** The earlier row, whose values were replaced. */
  at: P;
  /** The later row that replaced them. */
  by: P;
}

export const MAX_TRACKED_KEYS = 1_000_000;

export class DuplicateTracker<P> {
  private readonly seen = new Map<string, P>();

  constructor(private readonly maxKeys = MAX_TRACKED_KEYS) {}

  /** Records `key` at `at`; returns where it was seen before, if it was. */
  see(key: string, at: P): P | undefined {
    const earlier = this.seen.get(key);
    if (earlier !== undefined || this.seen.size < this.maxKeys) this.seen.set(key, at);
    return earlier;
  }
}
