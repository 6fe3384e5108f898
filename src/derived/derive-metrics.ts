// The derivation pass, run inside each recomputation before scoring: every
// definition whose events anyone sends becomes observations (source
// "events"), set-based — one INSERT … SELECT per definition for every account
// at once. A value is written only when it differs from the account's
// observation in force, or that one is getting old (so an unchanged count
// never goes stale); an imported value dated later stays in force (newer
// wins) and one dated the same moment is never overwritten.
//
// Cost: the first pass of a UTC day (or after a definition changed) derives
// every account; a later tick the same day re-derives only the accounts whose
// events changed since the previous pass (event_accounts.changed_at), since
// windows are whole days and nothing else moves a value within a day.
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';
import { startOfUtcDay } from '../scoring/renewal.js';
import { compileDefinition, type DerivationScope } from './compile-definition.js';
import { eventsRead, type DerivedMetric } from './definition-schema.js';
import { definitionsHash, loadDefinitions } from './definition-store.js';

type Db = Pick<Prisma, '$queryRaw' | '$executeRaw' | 'derivedMetric' | 'metricDefinition' | 'derivationState'>;

/** An ingest transaction that began before the previous pass may commit after it: look back this far. */
const COMMIT_MARGIN_MS = 5 * 60_000;

export interface DerivationResult {
  mode: 'full' | 'incremental' | 'past' | 'idle';
  /** Accounts re-derived (incremental), or null for every account. */
  accounts: number | null;
  /** Metrics derived (their events are being sent). */
  metrics: string[];
  /** Observations written or changed. */
  written: number;
  durationMs: number;
}

export interface DeriveOptions {
  logger?: Logger;
  /** How far before the previous pass's start a change still counts as new (tests: 0). */
  commitMarginMs?: number;
}

export async function deriveEventMetrics(db: Db, asOf: Date, options: DeriveOptions = {}): Promise<DerivationResult> {
  const { logger } = options;
  const margin = options.commitMarginMs ?? COMMIT_MARGIN_MS;
  const started = performance.now();
  const startedAt = new Date();
  const definitions = await loadDefinitions(db);
  const hash = definitionsHash(definitions);
  const state = await db.derivationState.findUnique({ where: { id: 1 } });
  const live = [...definitions.values()].map((d) => d.definition);
  const sent = await definitionsWithEvents(db, live);

  let scope: DerivationScope = { kind: 'all' };
  let mode: DerivationResult['mode'] = 'full';
  if (state && asOf.getTime() < state.asOf.getTime()) {
    mode = 'past';
  } else if (state && state.definitionsHash === hash && startOfUtcDay(state.asOf) === startOfUtcDay(asOf)) {
    mode = 'incremental';
    scope = { kind: 'ids', ids: await changedAccounts(db, new Date(state.startedAt.getTime() - margin), state.asOf, asOf) };
  }
  let written = 0;
  const quiet = scope.kind === 'ids' && scope.ids.length === 0;
  if (!quiet) for (const definition of sent) written += await writeDerived(db, definition, asOf, scope);
  if (mode !== 'past') {
    await db.derivationState.upsert({ where: { id: 1 }, create: { id: 1, asOf, startedAt, definitionsHash: hash }, update: { asOf, startedAt, definitionsHash: hash } });
  }
  const result: DerivationResult = {
    mode: quiet ? 'idle' : mode,
    accounts: scope.kind === 'ids' ? scope.ids.length : null,
    metrics: sent.map((d) => d.metric),
    written,
    durationMs: Math.round(performance.now() - started),
  };
  if (sent.length > 0) logger?.info('derived metrics from events', { ...result, metrics: result.metrics.length });
  return result;
}

/** Only definitions whose events someone sends: a metric nobody feeds stays "not in use", not 0. */
async function definitionsWithEvents(db: Db, definitions: readonly DerivedMetric[]): Promise<DerivedMetric[]> {
  if (definitions.length === 0) return [];
  const names = [...new Set(definitions.flatMap((d) => d.events))];
  const rows = await db.$queryRaw<{ event: string }[]>`
    SELECT n.event FROM unnest(${names}::text[]) AS n(event)
    WHERE EXISTS (SELECT 1 FROM events e WHERE e.event = n.event AND e.account_id IS NOT NULL)`;
  const present = new Set(rows.map((r) => r.event));
  return definitions.filter((d) => d.events.some((e) => present.has(e)));
}

/** Accounts whose events changed since `since`, or with events dated between the two as-of times (sent ahead of time). */
async function changedAccounts(db: Db, since: Date, previousAsOf: Date, asOf: Date): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT account_id AS id FROM event_accounts WHERE changed_at > ${since}
    UNION
    SELECT DISTINCT account_id FROM events WHERE timestamp > ${previousAsOf} AND timestamp <= ${asOf} AND account_id IS NOT NULL`;
  return rows.map((r) => r.id);
}

/**
 * One statement: compute, compare with the observation in force at the day
 * (an index probe per account), write what changed. Dated at the start of the
 * as-of's UTC day, like the renewal countdown, so ticks within a day update one
 * observation instead of adding one each.
 */
async function writeDerived(db: Db, d: DerivedMetric, asOf: Date, scope: DerivationScope): Promise<number> {
  const day = new Date(startOfUtcDay(asOf));
  const compiled = compileDefinition(d, asOf, scope);
  return db.$executeRaw`
    INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source, updated_at)
    SELECT c.account_id, ${d.metric}, c.v, ${day}::timestamptz, 'events', now()
    FROM (${compiled}) c
    CROSS JOIN (SELECT greatest(1, floor(freshness_days / 2))::int AS refresh FROM metric_definitions WHERE key = ${d.metric}) f
    LEFT JOIN LATERAL (
      SELECT m.value, m.observed_at FROM metric_observations m
      WHERE m.account_id = c.account_id AND m.metric_key = ${d.metric} AND m.observed_at <= ${day}::timestamptz
      ORDER BY m.observed_at DESC LIMIT 1) l ON true
    WHERE l.observed_at IS NULL OR l.value <> c.v OR l.observed_at <= ${day}::timestamptz - make_interval(days => f.refresh)
    ON CONFLICT (account_id, metric_key, observed_at) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
      WHERE metric_observations.source = 'events' AND metric_observations.value <> EXCLUDED.value`;
}

/**
 * Measures no account has any data for — no observation at all, and for a
 * derived metric no event it reads — are "not in use": left out of the
 * weights rather than counted as missing for everyone.
 */
export async function findMetricsNotInUse(db: Pick<Prisma, '$queryRaw'>, metricKeys: readonly string[]): Promise<Set<string>> {
  if (metricKeys.length === 0) return new Set();
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT k.key FROM unnest(${[...metricKeys]}::text[]) AS k(key)
    WHERE NOT EXISTS (SELECT 1 FROM metric_observations m WHERE m.metric_key = k.key)
      AND NOT (k.key = 'days_to_renewal' AND EXISTS (SELECT 1 FROM accounts a WHERE a.renewal_date IS NOT NULL))`;
  return new Set(rows.map((r) => r.key));
}
