// Set-based loading of everything one scoring pass needs: accounts in scope,
// and the latest observation per (account, metric) at or before as-of.
//
// Scoring "now" reads metric_latest (one row per measure, kept by triggers);
// only pairs whose newest value is dated after as-of (backfills, a past
// --as-of, a future-dated reading) fall back to an index probe into the
// history. Rows travel as one text per query and are parsed here: at 100,000
// accounts × 12 measures, per-row driver decoding was most of the load time.
import { z } from 'zod';
import type { Prisma } from '../db/database.js';
import { Prisma as Sql } from '../generated/prisma/client.js';
import { daysToRenewal, startOfUtcDay } from '../scoring/renewal.js';
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

/** Which accounts a query covers: all, a list, or an id range (recompute walks the portfolio in id order). */
export type AccountScope = { kind: 'all' } | { kind: 'ids'; ids: readonly number[] } | { kind: 'range'; from: number; to: number };

const accountRowsSchema = z.array(z.tuple([z.number().int(), z.string().nullable(), z.number().nullable()]));

export async function loadScoringAccounts(db: Db, asOf: Date, accountIds?: readonly number[]): Promise<ScoringAccount[]> {
  const [row] = await db.$queryRaw<{ rows: string }[]>`
    SELECT coalesce(json_agg(json_build_array(id, segment, floor(extract(epoch FROM renewal_date) * 1000)) ORDER BY id), '[]')::text AS rows
    FROM accounts
    WHERE (churned_on IS NULL OR churned_on > ${asOf})
      AND (${accountIds === undefined} OR id = ANY(${accountIds ?? []}::int[]))`;
  return accountRowsSchema.parse(JSON.parse(row?.rows ?? '[]')).map(([id, segment, renewalMs]) => ({
    id,
    segment,
    renewalDate: renewalMs === null ? null : new Date(renewalMs),
  }));
}

/** account id → metric key → latest observation at or before asOf (within a year). */
export async function loadLatestObservations(
  db: Db,
  asOf: Date,
  metricKeys: readonly string[],
  scope: AccountScope | readonly number[] = { kind: 'all' },
): Promise<Map<number, Map<string, Observation>>> {
  const s: AccountScope = 'kind' in scope ? scope : { kind: 'ids', ids: scope };
  const since = new Date(asOf.getTime() - LOOKBACK_DAYS * DAY_MS);
  const everyAccount = s.kind === 'all';
  const ids = s.kind === 'ids' ? [...s.ids] : [];
  const from = s.kind === 'range' ? s.from : 0;
  const to = s.kind === 'range' ? s.to : 0;
  const inScope = Sql.sql`l.metric_key = ANY(${[...metricKeys]}::text[])
    AND (${everyAccount}
         OR (${s.kind === 'ids'} AND l.account_id = ANY(${ids}::int[]))
         OR (${s.kind === 'range'} AND l.account_id BETWEEN ${from}::int AND ${to}::int))`;
  const [row] = await db.$queryRaw<{ rows: string | null }[]>`
    SELECT string_agg(account_id || ',' || metric_key || ',' || value || ',' || ms, ';') AS rows FROM (
      SELECT l.account_id, l.metric_key, l.value, (extract(epoch FROM l.observed_at) * 1000)::bigint AS ms
      FROM metric_latest l
      WHERE ${inScope} AND l.observed_at <= ${asOf} AND l.observed_at > ${since}
      UNION ALL
      SELECT o.account_id, o.metric_key, o.value, (extract(epoch FROM o.observed_at) * 1000)::bigint
      FROM metric_latest l CROSS JOIN LATERAL (
        SELECT m.account_id, m.metric_key, m.value, m.observed_at FROM metric_observations m
        WHERE m.account_id = l.account_id AND m.metric_key = l.metric_key AND m.observed_at <= ${asOf} AND m.observed_at > ${since}
        ORDER BY m.observed_at DESC LIMIT 1
      ) o
      WHERE ${inScope} AND l.observed_at > ${asOf}
    ) picked`;
  return parseLatestRows(row?.rows ?? null);
}

/**
 * Both loaders answer "account,metric,value,epoch-ms;…": a third of
 * json_agg's database cost at 120,000 values a chunk. Metric keys are
 * [a-z0-9_] (catalogue), so the separators cannot occur inside a field.
 */
function parseLatestRows(text: string | null): Map<number, Map<string, Observation>> {
  const byAccount = new Map<number, Map<string, Observation>>();
  if (text === null || text === '') return byAccount;
  // Scanned in place rather than split twice: 1.2 million rows a full run, and the
  // intermediate strings and arrays of split() were most of this process's garbage.
  const keys = new Map<string, string>();
  let metrics: Map<string, Observation> | undefined;
  let metricsOf = Number.NaN;
  for (let at = 0; at < text.length; ) {
    const semicolon = text.indexOf(';', at);
    const rowEnd = semicolon === -1 ? text.length : semicolon;
    const c1 = text.indexOf(',', at);
    const c2 = c1 === -1 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 === -1 ? -1 : text.indexOf(',', c2 + 1);
    if (c1 === -1 || c2 === -1 || c3 === -1 || c3 >= rowEnd) throw new TypeError(`unexpected latest-observation row: ${text.slice(at, Math.min(rowEnd, at + 200))}`);
    const accountId = Number(text.slice(at, c1));
    const key = text.slice(c1 + 1, c2);
    const value = Number(text.slice(c2 + 1, c3));
    const observedMs = Number(text.slice(c3 + 1, rowEnd));
    if (key === '' || !Number.isInteger(accountId) || !Number.isFinite(value) || !Number.isFinite(observedMs)) throw new TypeError(`unexpected latest-observation row: ${text.slice(at, Math.min(rowEnd, at + 200))}`);
    // One string per metric key, shared by every account's map.
    let metricKey = keys.get(key);
    if (metricKey === undefined) keys.set(key, (metricKey = key));
    // Rows arrive grouped by account more often than not: skip the lookup then.
    if (accountId !== metricsOf) {
      metrics = byAccount.get(accountId);
      if (!metrics) byAccount.set(accountId, (metrics = new Map()));
      metricsOf = accountId;
    }
    metrics?.set(metricKey, { metricKey, value, observedAt: new Date(observedMs) });
    at = rowEnd + 1;
  }
  return byAccount;
}

/**
 * Each account's latest observations at its own date (e.g. 60 days before it
 * churned), in one query of index probes into the history, however many
 * different dates there are.
 */
export async function loadLatestObservationsAt(
  db: Db,
  requests: readonly { accountId: number; asOf: Date }[],
  metricKeys: readonly string[],
): Promise<Map<number, Map<string, Observation>>> {
  const byRequest = await loadObservationsPerRequest(db, requests, metricKeys);
  return new Map([...byRequest].map(([index, latest]) => [requests[index]?.accountId ?? -1, latest]));
}

/**
 * Request index → the latest observations at that request's date: an account
 * may be asked about at several dates (one per renewal) in the same query.
 */
export async function loadObservationsPerRequest(
  db: Db,
  requests: readonly { accountId: number; asOf: Date }[],
  metricKeys: readonly string[],
): Promise<Map<number, Map<string, Observation>>> {
  if (requests.length === 0) return new Map();
  const [row] = await db.$queryRaw<{ rows: string | null }[]>`
    SELECT string_agg((r.ord - 1) || ',' || o.metric_key || ',' || o.value || ',' || (extract(epoch FROM o.observed_at) * 1000)::bigint, ';') AS rows
    FROM unnest(${requests.map((r) => r.accountId)}::int[], ${requests.map((r) => r.asOf)}::timestamptz[]) WITH ORDINALITY AS r(account_id, as_of, ord)
    CROSS JOIN unnest(${[...metricKeys]}::text[]) AS k(metric_key)
    CROSS JOIN LATERAL (
      SELECT m.metric_key, m.value, m.observed_at FROM metric_observations m
      WHERE m.account_id = r.account_id AND m.metric_key = k.metric_key
        AND m.observed_at <= r.as_of AND m.observed_at > r.as_of - make_interval(days => ${LOOKBACK_DAYS})
      ORDER BY m.observed_at DESC LIMIT 1
    ) o`;
  return parseLatestRows(row?.rows ?? null);
}

/**
 * days_to_renewal comes from the account's renewal date when it has one. It is
 * dated at the start of as-of's UTC day, so every recomputation within a day
 * sees the same observation (and writes no new snapshot for it).
 */
export function withDerivedRenewal(latest: ReadonlyMap<string, Observation> | undefined, account: ScoringAccount, asOf: Date): ReadonlyMap<string, Observation> {
  // Copied only to add the countdown: a full run asks this 100,000 times, and the copies were garbage.
  if (!account.renewalDate) return latest ?? NO_OBSERVATIONS;
  const out = new Map(latest);
  out.set('days_to_renewal', { metricKey: 'days_to_renewal', value: daysToRenewal(account.renewalDate, asOf), observedAt: new Date(startOfUtcDay(asOf)) });
  return out;
}

const NO_OBSERVATIONS: ReadonlyMap<string, Observation> = new Map();
