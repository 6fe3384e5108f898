// Set-based loading of everything one scoring pass needs: accounts in scope,
// and the latest observation per (account, metric) at or before as-of — one
// query each, whatever the portfolio size.
import type { Prisma } from '../db/database.js';
import type { Observation } from '../scoring/types.js';

type Db = Pick<Prisma, '$queryRaw'>;
const DAY_MS = 86_400_000;
/** Older observations are not even reported as stale: a year-old value says nothing about today. */
const LOOKBACK_DAYS = 365;

export interface ScoringAccount {
  id: number;
  segment: string | null;
  renewalDate: Date | null;
}

export async function loadScoringAccounts(db: Db, asOf: Date, accountIds?: readonly number[]): Promise<ScoringAccount[]> {
  const rows = await db.$queryRaw<{ id: number; segment: string | null; renewal_date: Date | null }[]>`
    SELECT id, segment, renewal_date FROM accounts
    WHERE (churned_on IS NULL OR churned_on > ${asOf})
      AND (${accountIds === undefined} OR id = ANY(${accountIds ?? []}::int[]))
    ORDER BY id`;
  return rows.map((r) => ({ id: r.id, segment: r.segment, renewalDate: r.renewal_date }));
}

/** account id → metric key → latest observation at or before asOf. */
export async function loadLatestObservations(
  db: Db,
  asOf: Date,
  metricKeys: readonly string[],
  accountIds?: readonly number[],
): Promise<Map<number, Map<string, Observation>>> {
  const since = new Date(asOf.getTime() - LOOKBACK_DAYS * DAY_MS);
  const rows = await db.$queryRaw<{ account_id: number; metric_key: string; value: number; observed_at: Date; note: string | null; author_slack_user_id: string | null }[]>`
    SELECT DISTINCT ON (account_id, metric_key) account_id, metric_key, value, observed_at, note, author_slack_user_id
    FROM metric_observations
    WHERE observed_at <= ${asOf} AND observed_at > ${since}
      AND metric_key = ANY(${[...metricKeys]}::text[])
      AND (${accountIds === undefined} OR account_id = ANY(${accountIds ?? []}::int[]))
    ORDER BY account_id, metric_key, observed_at DESC`;
  const byAccount = new Map<number, Map<string, Observation>>();
  for (const row of rows) {
    let metrics = byAccount.get(row.account_id);
    if (!metrics) byAccount.set(row.account_id, (metrics = new Map()));
    metrics.set(row.metric_key, { metricKey: row.metric_key, value: row.value, observedAt: row.observed_at, note: row.note, authorSlackUserId: row.author_slack_user_id });
  }
  return byAccount;
}

/** days_to_renewal comes from the account's renewal date when it has one. */
export function withDerivedRenewal(latest: Map<string, Observation> | undefined, account: ScoringAccount, asOf: Date): Map<string, Observation> {
  const out = new Map(latest);
  if (account.renewalDate) {
    const days = Math.round((account.renewalDate.getTime() - asOf.getTime()) / DAY_MS);
    out.set('days_to_renewal', { metricKey: 'days_to_renewal', value: days, observedAt: asOf });
  }
  return out;
}
