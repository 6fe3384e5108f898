// Data that arrives moves the score at once: the accounts an ingestion touched
// are rescored within seconds instead of at the next scheduled tick (up to 15
// minutes later). Ids are coalesced and debounced, so a burst of API calls is
// one targeted run; runs go one at a time; the cluster-wide recompute lock
// keeps replicas (and a scheduled run) from scoring the same accounts at once —
// a busy lock only postpones the run, the ids are kept.
import { runRecomputeAndAlerts, type RecomputeDepsWithAlerts } from '../alerts/recompute-and-alert.js';

export interface RescorePacing {
  /** Quiet time after the last ingestion before the run starts (a burst becomes one run). */
  debounceMs: number;
  /** Longest an id waits under a steady stream of ingestions. */
  maxWaitMs: number;
  /** Wait before trying again when another run holds the recompute lock. */
  busyRetryMs: number;
}

export const DEFAULT_RESCORE_PACING: RescorePacing = { debounceMs: 1_000, maxWaitMs: 5_000, busyRetryMs: 1_000 };

/** What an ingestion answer promises: the touched accounts' scores reflect it within about this long. */
export function rescoreWithinSeconds(pacing: RescorePacing = DEFAULT_RESCORE_PACING): number {
  return Math.ceil(pacing.maxWaitMs / 1000);
}

export type RescoreOutcome = { ran: true; accountsScored: number; alertsOpened: number } | { ran: false };

/** One targeted live rescore of `accountIds` (under the recompute lock); `ran: false` when the lock is busy. */
export async function rescoreAccounts(deps: RecomputeDepsWithAlerts, accountIds: readonly number[]): Promise<RescoreOutcome> {
  const ready = await withSomethingToScore(deps, accountIds);
  if (ready.length === 0) return { ran: true, accountsScored: 0, alertsOpened: 0 };
  const outcome = await runRecomputeAndAlerts(deps, { trigger: 'import', accountIds: ready });
  return outcome.ran ? { ran: true, accountsScored: outcome.result.accountsScored, alertsOpened: outcome.result.alertsOpened } : { ran: false };
}

/**
 * A new account with no data yet waits for its metrics: scored now it would get
 * an "insufficient data" snapshot, and its first real scoring would no longer be
 * judged against the history it arrives with (the first-run backfill).
 */
async function withSomethingToScore(deps: RecomputeDepsWithAlerts, accountIds: readonly number[]): Promise<number[]> {
  if (accountIds.length === 0) return [];
  const rows = await deps.db.prisma.$queryRaw<{ id: number }[]>`
    SELECT a.id FROM accounts a
    WHERE a.id = ANY(${[...accountIds]}::int[])
      AND (EXISTS (SELECT 1 FROM account_scores s WHERE s.account_id = a.id)
        OR EXISTS (SELECT 1 FROM metric_observations o WHERE o.account_id = a.id))`;
  return rows.map((r) => r.id);
}

/** Rescores, waiting for a busy lock (another run, another replica) up to `timeoutMs`. */
export async function rescoreAccountsWhenFree(deps: RecomputeDepsWithAlerts, accountIds: readonly number[], timeoutMs: number, retryMs = DEFAULT_RESCORE_PACING.busyRetryMs): Promise<RescoreOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await rescoreAccounts(deps, accountIds);
    if (outcome.ran || Date.now() + retryMs > deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

export class RescoreQueue {
  private pending = new Set<number>();
  private firstPendingAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Delay before the next run when ids are still pending after one (arrived meanwhile, or the lock was busy). */
  private retryDelay = 0;

  constructor(
    private readonly deps: RecomputeDepsWithAlerts,
    readonly pacing: RescorePacing = DEFAULT_RESCORE_PACING,
  ) {}

  /** Accounts whose data just changed; returns at once, the rescore runs shortly after. */
  add(accountIds: Iterable<number>): void {
    if (this.stopped) return;
    for (const id of accountIds) this.pending.add(id);
    if (this.pending.size === 0) return;
    this.firstPendingAt ??= Date.now();
    this.schedule(this.pacing.debounceMs);
  }

  /** Ids waiting for a run (not counting one in progress). */
  get waiting(): number {
    return this.pending.size;
  }

  /** What an ingestion answer promises. */
  get withinSeconds(): number {
    return rescoreWithinSeconds(this.pacing);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.running) return;
    const waited = Date.now() - (this.firstPendingAt ?? Date.now());
    const delay = Math.max(0, Math.min(delayMs, this.pacing.maxWaitMs - waited));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce().finally(() => {
        this.running = null;
        // Ids that arrived during the run, or that a busy lock sent back.
        if (this.pending.size > 0) this.schedule(this.retryDelay);
      });
    }, delay);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    const ids = [...this.pending];
    this.pending = new Set();
    this.firstPendingAt = null;
    this.retryDelay = this.pacing.debounceMs;
    try {
      const outcome = await rescoreAccounts(this.deps, ids);
      if (!outcome.ran) {
        for (const id of ids) this.pending.add(id);
        this.firstPendingAt = Date.now();
        this.retryDelay = this.pacing.busyRetryMs;
      }
    } catch (error) {
      // The scheduled full run picks these accounts up; an ingestion is never failed by its rescore.
      this.deps.logger.error('rescoring ingested accounts failed; the next scheduled run will score them', { error, accounts: ids.length });
    }
  }

  /** Stops taking work; a run in progress finishes, and what is pending runs once more before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    if (this.pending.size > 0) await this.runOnce();
  }
}
