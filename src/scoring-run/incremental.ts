// What an incremental tick needs: which accounts' results can have changed
// since the last complete run, and the change log it consumes.
//
// A complete run (every account, as of a time not before the last complete
// run) leaves each account's stored fingerprint equal to what scoring it at its
// as-of would give. Between two complete runs at P and N an account's result
// can only change through
//   - a write to its observations or to the account's segment, renewal date or
//     churn date, or its current score removed (score_changes, appended by
//     triggers whoever writes);
//   - time: a measure's newest value crossing its freshness limit or the
//     one-year look-back, a future-dated value becoming usable (the newest
//     value dated after P also hides older history, so such pairs are rescored
//     every tick), and a new UTC day moving the renewal countdown;
//   - different inputs for everyone (a model version, a freshness limit, the
//     scoring code): the run is then full, decided by the inputs fingerprint.
// Accounts whose current score is dated after N are rescored too: a full run
// would write them. Accounts without a current score are in the change log
// (new, un-churned, or their score removed).
import { createHash } from 'node:crypto';
import type { Prisma } from '../db/database.js';
import type { ActiveModels } from '../models/model-store.js';
import { startOfUtcDay } from '../scoring/renewal.js';
import type { MetricDefinition } from '../scoring/types.js';
import type { Tx } from './recompute.js';

type Db = Pick<Prisma, '$queryRaw'>;
const DAY_MS = 86_400_000;
/** Must match load-score-inputs' look-back: older values are not even reported. */
const LOOKBACK_DAYS = 365;
/** Newer than any observation ingestion accepts; the upper end of "dated after P". */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');
/**
 * Bump when computeScore or the snapshot encoding changes what a result says:
 * the first tick after a deploy then rescores everyone instead of trusting
 * fingerprints written by the old code.
 */
export const SCORING_CODE_VERSION = 1;

export interface LastCompleteRun {
  asOf: Date;
  inputsFingerprint: string | null;
}

/** The change log rows a run read: the accounts, and the seq ranges to delete when it commits. */
export interface ReadChanges {
  accountIds: number[];
  /** Contiguous [from, to] runs of the seqs read: deleting them removes exactly what was read. */
  ranges: [bigint, bigint][];
}

/** What scores every account: the active model versions, the freshness limits they use, the scoring code. */
export function inputsFingerprint(models: ActiveModels, metrics: ReadonlyMap<string, Pick<MetricDefinition, 'freshnessDays'>>): string {
  // Weights as scored, not only the version: a measure going in or out of use (no source
  // for it anywhere) changes every account's weights without a new model version.
  const versions = [...models.byKey.entries()].map(([key, m]) => `${key}=${m.versionId}:${m.measures.map((x) => x.weight).join('/')}`).sort();
  const keys = [...new Set([...models.byKey.values()].flatMap((m) => m.measures.map((x) => x.metricKey)))].sort();
  const freshness = keys.map((k) => `${k}:${metrics.get(k)?.freshnessDays ?? 'none'}`);
  return createHash('sha1').update(`v${SCORING_CODE_VERSION}|${versions.join(',')}|${freshness.join(',')}`).digest('base64url');
}

export async function loadLastCompleteRun(db: Db): Promise<LastCompleteRun | null> {
  const [row] = await db.$queryRaw<{ as_of: Date; inputs_fingerprint: string | null }[]>`
    SELECT as_of, inputs_fingerprint FROM score_runs
    WHERE mode IS NOT NULL AND status = 'completed'
    ORDER BY as_of DESC, id DESC LIMIT 1`;
  return row ? { asOf: row.as_of, inputsFingerprint: row.inputs_fingerprint } : null;
}

/**
 * The change log as it stands, in one statement (one snapshot): the accounts,
 * and the seqs as contiguous ranges. A write committing later, even with a
 * lower seq (sequences are handed out before commit), is not in any range.
 */
export async function readChanges(db: Db): Promise<ReadChanges> {
  const [row] = await db.$queryRaw<{ accounts: string | null; ranges: string | null }[]>`
    WITH seen AS MATERIALIZED (SELECT seq, account_id FROM score_changes),
    islands AS (SELECT min(seq) AS lo, max(seq) AS hi FROM (SELECT seq, seq - row_number() OVER (ORDER BY seq) AS g FROM seen) s GROUP BY g)
    SELECT (SELECT string_agg(DISTINCT account_id::text, ',') FROM seen) AS accounts,
           (SELECT string_agg(lo || '-' || hi, ',') FROM islands) AS ranges`;
  const accountIds = row?.accounts ? row.accounts.split(',').map(Number) : [];
  const ranges = row?.ranges
    ? row.ranges.split(',').map((r): [bigint, bigint] => {
        const [lo, hi] = r.split('-');
        return [BigInt(lo ?? ''), BigInt(hi ?? '')];
      })
    : [];
  return { accountIds, ranges };
}

/** Deletes the change log rows a run read, in the run's transaction. */
export async function consumeChanges(tx: Tx, ranges: readonly [bigint, bigint][]): Promise<void> {
  if (ranges.length === 0) return;
  await tx.$executeRaw`
    DELETE FROM score_changes c USING unnest(${ranges.map((r) => r[0].toString())}::bigint[], ${ranges.map((r) => r[1].toString())}::bigint[]) AS r(lo, hi)
    WHERE c.seq BETWEEN r.lo AND r.hi`;
}

export interface RescoreQuery {
  since: Date;
  asOf: Date;
  changedAccountIds: readonly number[];
  /** Every measured metric key with its freshness limit in days. */
  freshness: ReadonlyMap<string, number>;
  /** Whether some active model measures days_to_renewal (derived from renewal dates). */
  renewalMeasured: boolean;
}

/** The accounts an incremental tick at asOf must rescore, given the last complete run at `since`. */
export async function accountsToRescore(db: Db, q: RescoreQuery): Promise<number[]> {
  const p = q.since.getTime();
  const n = q.asOf.getTime();
  const keys: string[] = [];
  const lo: Date[] = [];
  const hi: Date[] = [];
  const range = (key: string, from: number, to: number | Date) => {
    keys.push(key);
    lo.push(new Date(from));
    hi.push(to instanceof Date ? to : new Date(to));
  };
  // Each range is (lo, hi]; times are whole milliseconds.
  for (const [key, days] of q.freshness) {
    range(key, p - days * DAY_MS - 1, n - days * DAY_MS - 1); // [P − f, N − f): fresh at P, stale at N
    range(key, p - LOOKBACK_DAYS * DAY_MS, n - LOOKBACK_DAYS * DAY_MS); // (P − 365 d, N − 365 d]: leaves the look-back
    range(key, p, END_OF_TIME); // after P: usable only now, or still in the future
  }
  // The renewal countdown is dated at the start of as-of's UTC day: a new day moves it, and its own freshness can lapse.
  const day = startOfUtcDay(q.asOf);
  const renewalFreshUntil = day + (q.freshness.get('days_to_renewal') ?? 0) * DAY_MS;
  const renewalMoved = q.renewalMeasured && (startOfUtcDay(q.since) !== day || (renewalFreshUntil >= p && renewalFreshUntil <= n));
  const [row] = await db.$queryRaw<{ ids: string | null }[]>`
    SELECT string_agg(id::text, ',') AS ids FROM (
      SELECT c.id FROM unnest(${[...q.changedAccountIds]}::int[]) AS c(id)
      UNION
      SELECT l.account_id FROM unnest(${keys}::text[], ${lo}::timestamptz[], ${hi}::timestamptz[]) AS r(metric_key, lo, hi)
      CROSS JOIN LATERAL (
        -- OFFSET 0 keeps this an index range scan per range: flattened, the planner hashes all of metric_latest (1 s at 100,000 accounts).
        SELECT m.account_id FROM metric_latest m WHERE m.metric_key = r.metric_key AND m.observed_at > r.lo AND m.observed_at <= r.hi OFFSET 0
      ) l
      UNION
      SELECT a.id FROM accounts a WHERE ${renewalMoved} AND a.renewal_date IS NOT NULL
      UNION
      -- Current scores dated after N: snapshots are dated by their run, and the pointer never moves back.
      SELECT s.account_id FROM score_runs r JOIN score_snapshots s ON s.run_id = r.id WHERE r.as_of > ${q.asOf}
    ) x`;
  return row?.ids ? row.ids.split(',').map(Number).sort((a, b) => a - b) : [];
}

/** Bands of every account in scope after an incremental tick (only some were rescored). */
export async function currentBands(db: Db, asOf: Date): Promise<{ inScope: number; byBand: Record<string, number> }> {
  const rows = await db.$queryRaw<{ band: string; n: number }[]>`
    SELECT s.band, count(*)::int AS n FROM account_scores s
    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.account_id AND a.churned_on <= ${asOf})
    GROUP BY s.band`;
  const byBand: Record<string, number> = {};
  let inScope = 0;
  for (const r of rows) {
    byBand[r.band] = r.n;
    inScope += r.n;
  }
  return { inScope, byBand };
}
