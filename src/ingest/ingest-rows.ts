// Writes validated rows, one batch per transaction: the good rows of a batch
// are kept, a bad row changes nothing, and every rejection says why.
import { findAliasOwners, replaceAccountAliases } from '../accounts/alias-store.js';
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
}

/**
 * Counts for the file or call as a whole: a later row replacing one from an
 * earlier batch of the same file updates a row this file inserted, so it is
 * neither a new load nor an update of stored data.
 */
function outcome<P>(written: { inserted: number; updated: number }, rows: number, withinBatch: number, acrossBatches: number, errors: RowError<P>[], superseded: Superseded<P>[]): BatchOutcome<P> {
  return { loaded: rows - withinBatch - acrossBatches, inserted: written.inserted, updated: written.updated - acrossBatches, errors, superseded };
}

/** Splits repeats into those within `rows` and those of an earlier batch. */
function findSuperseded<P>(rows: { at: P; key: string }[], tracker: DuplicateTracker<P>) {
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
  if (rows.length === 0) return { loaded: 0, inserted: 0, updated: 0, errors: [], superseded: [] };
  const written = await prisma.$transaction(
    async (tx) => {
      // Alias ownership is checked inside the transaction that writes it; the
      // unique (kind, value) index refuses a concurrent writer's duplicate.
      const owners = await findAliasOwners(tx, rows.flatMap((r) => r.row.aliases ?? []));
      const plan = checkAliasClaims(rows.map((r) => r.row), owners);
      const errors = [...plan.refused].map(([index, error]) => ({ at: (rows[index] as { at: P }).at, error }));
      const accepted = rows.filter((_, index) => !plan.refused.has(index));
      const ids = [...new Set(accepted.map((r) => r.row.externalId))];
      const existing = ids.length === 0 ? 0 : await tx.account.count({ where: { externalId: { in: ids } } });
      const total = await upsertAccounts(tx, accepted.map((r) => r.row));
      await replaceAccountAliases(tx, [...plan.finalAliases].map(([externalId, aliases]) => ({ externalId, aliases })));
      return { inserted: total - existing, updated: existing, accepted, errors };
    },
    { timeout: 120_000 },
  );
  const repeats = findSuperseded(written.accepted.map((r) => ({ at: r.at, key: r.row.externalId })), tracker);
  return outcome(written, written.accepted.length, repeats.withinBatch, repeats.acrossBatches, written.errors, repeats.superseded);
}

export async function ingestMetrics<P>(prisma: Prisma, rows: { at: P; row: MetricRow }[], source: string, tracker = new DuplicateTracker<P>()): Promise<BatchOutcome<P>> {
  if (rows.length === 0) return { loaded: 0, inserted: 0, updated: 0, errors: [], superseded: [] };
  await ensureCatalogueAndModels(prisma);
  const ranges = await loadMetricRanges(prisma);
  const resolutions = await resolveAccountRefs(prisma, rows.map((r) => r.row.accountRef));
  const errors: RowError<P>[] = [];
  const good: { at: P; input: ObservationInput }[] = [];
  for (const { at, row } of rows) {
    const resolution = resolutions.get(row.accountRef);
    const range = ranges.get(row.metricKey);
    const rangeProblem = range ? describeRangeProblem(range, row.value) : null;
    if (!range) errors.push({ at, error: `unknown metric "${row.metricKey}" (add it with \`account-health metric add ${row.metricKey} --label … --direction …\`; known: ${[...ranges.keys()].sort().join(', ')})` });
    else if (rangeProblem) errors.push({ at, error: rangeProblem });
    else if (!resolution || !resolution.ok) errors.push({ at, error: resolution?.ok === false ? resolution.error : `unknown account "${row.accountRef}"` });
    else good.push({ at, input: { accountId: resolution.accountId, metricKey: row.metricKey, value: row.value, observedAt: row.observedAt } });
  }
  const repeats = findSuperseded(good.map(({ at, input }) => ({ at, key: `${input.accountId}\u0000${input.metricKey}\u0000${input.observedAt.getTime()}` })), tracker);
  const written = await prisma.$transaction((tx) => upsertObservations(tx, good.map((g) => g.input), source), { timeout: 120_000 });
  return outcome(written, good.length, repeats.withinBatch, repeats.acrossBatches, errors, repeats.superseded);
}
