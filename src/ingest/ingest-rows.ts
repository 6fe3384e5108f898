// Writes validated rows, one batch per transaction: the good rows of a batch
// are kept, a bad row changes nothing, and every rejection says why.
import { findAliasOwners, replaceAccountAliases } from '../accounts/alias-store.js';
import { attributeWaitingEvents } from '../events/ingest-messages.js';
import { checkAliasClaims } from '../accounts/check-alias-claims.js';
import type { Prisma } from '../db/database.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';
import { describeRangeProblem, loadMetricRanges } from '../models/metric-store.js';
import type { AccountRow, MetricRow } from './row-schemas.js';
import { resolveAccountRefs } from './resolve-accounts.js';
import { DuplicateTracker, type Superseded } from './track-duplicates.js';
import { upsertAccounts } from './write-accounts.js';
import { upsertObservations, type ObservationInput } from './write-observations.js';

export interface RowError<Position> {
  at: Position;
  error: string;
}

export interface BatchOutcome<Position> {
  /** Rows whose values are now stored (a superseded row is not counted). */
  loaded: number;
  inserted: number;
  updated: number;
  errors: RowError<Position>[];
  /** Earlier rows replaced by a later row with the same key (this batch or an earlier one of the same file). */
  superseded: Superseded<Position>[];
  /** The accounts whose stored data this batch changed: what needs rescoring now. */
  accountIds: number[];
  /** Things the sender should know that are not errors (e.g. a segment without a model of its own). */
  notes?: string[];
}

/**
 * Counts for the file or call as a whole: a later row replacing one from an
 * earlier batch of the same file updates a row this file inserted, so it is
 * neither a new load nor an update of stored data.
 */
export function outcome<P>(written: { inserted: number; updated: number }, rows: number, withinBatch: number, acrossBatches: number, errors: RowError<P>[], superseded: Superseded<P>[], accountIds: number[]): BatchOutcome<P> {
  return { loaded: rows - withinBatch - acrossBatches, inserted: written.inserted, updated: written.updated - acrossBatches, errors, superseded, accountIds };
}

/** Splits repeats into those within `rows` and those of an earlier batch. */
export function findSuperseded<P>(rows: { at: P; key: string }[], tracker: DuplicateTracker<P>) {
  const batchKeys = new Set<string>();
  const superseded: Superseded<P>[] = [];
  let withinBatch = 0;
  let acrossBatches = 0;
  for (const { at, key } of rows) {
    const earlier = tracker.see(key, at);
    if (earlier !== undefined) {
      superseded.push({ at: earlier, by: at });
      if (batchKeys.has(key)) withinBatch += 1;
      else acrossBatches += 1;
    }
    batchKeys.add(key);
  }
  return { superseded, withinBatch, acrossBatches };
}

export async function ingestAccounts<P>(prisma: Prisma, rows: { at: P; row: AccountRow }[], tracker = new DuplicateTracker<P>()): Promise<BatchOutcome<P>> {
  if (rows.length === 0) return { loaded: 0, inserted: 0, updated: 0, errors: [], superseded: [], accountIds: [] };
  await ensureCatalogueAndModels(prisma);
  const written = await prisma.$transaction(
    async (tx) => {
      const stored = await tx.account.findMany({ where: { externalId: { in: [...new Set(rows.map((r) => r.row.externalId))] } }, select: { externalId: true, name: true } });
      const named = nameEachRow(rows, new Map(stored.map((a) => [a.externalId, a.name])));
      // Alias ownership is checked inside the transaction that writes it; the
      // unique (kind, value) index refuses a concurrent writer's duplicate.
      const owners = await findAliasOwners(tx, named.good.flatMap((r) => r.row.aliases ?? []));
      const plan = checkAliasClaims(named.good.map((r) => r.row), owners);
      const refused = [...plan.refused].map(([index, error]) => ({ at: (named.good[index] as { at: P }).at, error }));
      const good = named.good.filter((_, index) => !plan.refused.has(index));
      const ids = new Set(good.map((r) => r.row.externalId));
      const existing = stored.filter((a) => ids.has(a.externalId)).length;
      const total = await upsertAccounts(tx, good.map((r) => r.row));
      await replaceAccountAliases(tx, [...plan.finalAliases].map(([externalId, aliases]) => ({ externalId, aliases })));
      const touched = ids.size === 0 ? [] : await tx.account.findMany({ where: { externalId: { in: [...ids] } }, select: { id: true } });
      // Provider events that waited for these aliases (or domains) are attributed in the same transaction.
      await attributeWaitingEvents(tx, touched.map((a) => a.id));
      const notes = await segmentsWithoutModel(tx, good.map((r) => r.row.segment));
      return { inserted: total - existing, updated: existing, accountIds: touched.map((a) => a.id), good, errors: [...named.errors, ...refused], notes };
    },
    { timeout: 120_000 },
  );
  const repeats = findSuperseded(written.good.map((r) => ({ at: r.at, key: r.row.externalId })), tracker);
  const result = outcome(written, written.good.length, repeats.withinBatch, repeats.acrossBatches, written.errors, repeats.superseded, written.accountIds);
  return written.notes.length > 0 ? { ...result, notes: written.notes } : result;
}

/**
 * A segment no model targets is scored with the default model — legitimate,
 * but a typo ("enterprize") would silently judge big accounts by SMB rules. Say so.
 */
async function segmentsWithoutModel(tx: Pick<Prisma, 'healthModel'>, segments: readonly (string | null | undefined)[]): Promise<string[]> {
  const named = [...new Set(segments.filter((s): s is string => typeof s === 'string'))];
  if (named.length === 0) return [];
  const modelled = new Set((await tx.healthModel.findMany({ where: { segment: { in: named } }, select: { segment: true } })).map((m) => m.segment));
  return named.filter((s) => !modelled.has(s)).sort().map((s) => `segment ${s} has no model: scored with the default model`);
}

/**
 * A name is needed only to create an account: a row without one updates the
 * stored account (keeping its name), or names one an earlier row of the batch
 * creates; otherwise it is refused, and changes nothing.
 */
function nameEachRow<P>(rows: { at: P; row: AccountRow }[], storedNames: Map<string, string>) {
  const names = new Map(storedNames);
  const good: { at: P; row: AccountRow & { name: string } }[] = [];
  const errors: RowError<P>[] = [];
  for (const { at, row } of rows) {
    const name = row.name ?? names.get(row.externalId);
    if (name === undefined) {
      errors.push({ at, error: `name is required to create account "${row.externalId}" (no account has this external_id yet)` });
      continue;
    }
    names.set(row.externalId, name);
    good.push({ at, row: { ...row, name } });
  }
  return { good, errors };
}

/** Clocks disagree by seconds, not hours: a reading further ahead than this is a wrong date, not skew. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A reading dated in the future would stand as the "latest" value until that date passed, hiding real ones. */
function futureProblem(observedAt: Date, now: Date): string | null {
  if (observedAt.getTime() <= now.getTime() + CLOCK_SKEW_MS) return null;
  return `observed_at ${observedAt.toISOString()} is in the future (now is ${now.toISOString()}; up to 5 minutes of clock skew is allowed)`;
}

export async function ingestMetrics<P>(prisma: Prisma, rows: { at: P; row: MetricRow }[], source: string, tracker = new DuplicateTracker<P>(), now = new Date()): Promise<BatchOutcome<P>> {
  if (rows.length === 0) return { loaded: 0, inserted: 0, updated: 0, errors: [], superseded: [], accountIds: [] };
  await ensureCatalogueAndModels(prisma);
  const ranges = await loadMetricRanges(prisma);
  const resolutions = await resolveAccountRefs(prisma, rows.map((r) => r.row.accountRef));
  const errors: RowError<P>[] = [];
  const good: { at: P; input: ObservationInput }[] = [];
  for (const { at, row } of rows) {
    const resolution = resolutions.get(row.accountRef);
    const range = ranges.get(row.metricKey);
    const rangeProblem = range ? describeRangeProblem(range, row.value) : null;
    const future = futureProblem(row.observedAt, now);
    if (future) errors.push({ at, error: future });
    else if (!range) errors.push({ at, error: `unknown metric "${row.metricKey}" (add it with \`account-health metric add ${row.metricKey} --label … --direction …\`; known: ${[...ranges.keys()].sort().join(', ')})` });
    else if (rangeProblem) errors.push({ at, error: rangeProblem });
    else if (!resolution || !resolution.ok) errors.push({ at, error: resolution?.ok === false ? resolution.error : `unknown account "${row.accountRef}"` });
    else good.push({ at, input: { accountId: resolution.accountId, metricKey: row.metricKey, value: row.value, observedAt: row.observedAt } });
  }
  const repeats = findSuperseded(good.map(({ at, input }) => ({ at, key: `${input.accountId}\u0000${input.metricKey}\u0000${input.observedAt.getTime()}` })), tracker);
  const written = await prisma.$transaction((tx) => upsertObservations(tx, good.map((g) => g.input), source), { timeout: 120_000 });
  return outcome(written, good.length, repeats.withinBatch, repeats.acrossBatches, errors, repeats.superseded, [...new Set(good.map((g) => g.input.accountId))]);
}
