// Renewal outcomes (renewed / churned at a renewal date), one batch per
// statement: an unknown account is refused by line, the other rows are kept,
// and re-sending (account, renewal_date) replaces the outcome.
import type { Prisma } from '../db/database.js';
import { findSuperseded, outcome, type BatchOutcome, type RowError } from './ingest-rows.js';
import { resolveAccountRefs } from './resolve-accounts.js';
import type { OutcomeRow } from './row-schemas.js';
import { DuplicateTracker } from './track-duplicates.js';

type Db = Pick<Prisma, '$queryRaw'>;

export interface OutcomeInput {
  accountId: number;
  renewalDate: Date;
  outcome: OutcomeRow['outcome'];
  arr: number | null;
}

export async function upsertOutcomes(db: Db, rows: readonly OutcomeInput[], source: string): Promise<{ inserted: number; updated: number }> {
  // One statement may not update a row twice: the last duplicate wins.
  const unique = [...new Map(rows.map((r) => [`${r.accountId}\u0000${r.renewalDate.getTime()}`, r])).values()];
  if (unique.length === 0) return { inserted: 0, updated: 0 };
  const result = await db.$queryRaw<{ inserted: bigint | number; total: bigint | number }[]>`
    WITH written AS (
      INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, arr, source, updated_at)
      SELECT t.a, t.d, t.o, t.arr, ${source}, now()
      FROM unnest(${unique.map((r) => r.accountId)}::int[], ${unique.map((r) => r.renewalDate)}::date[],
                  ${unique.map((r) => r.outcome)}::text[], ${unique.map((r) => r.arr)}::float8[]) AS t(a, d, o, arr)
      ON CONFLICT (account_id, renewal_date) DO UPDATE SET outcome = EXCLUDED.outcome, arr = EXCLUDED.arr, source = EXCLUDED.source, updated_at = now()
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) AS total FROM written`;
  const inserted = Number(result[0]?.inserted ?? 0);
  return { inserted, updated: Number(result[0]?.total ?? 0) - inserted };
}

export async function ingestOutcomes<P>(prisma: Prisma, rows: { at: P; row: OutcomeRow }[], source: string, tracker = new DuplicateTracker<P>()): Promise<BatchOutcome<P>> {
  if (rows.length === 0) return { loaded: 0, inserted: 0, updated: 0, errors: [], superseded: [], accountIds: [] };
  const resolutions = await resolveAccountRefs(prisma, rows.map((r) => r.row.accountRef));
  const errors: RowError<P>[] = [];
  const good: { at: P; input: OutcomeInput }[] = [];
  for (const { at, row } of rows) {
    const resolution = resolutions.get(row.accountRef);
    if (!resolution || !resolution.ok) errors.push({ at, error: resolution?.ok === false ? resolution.error : `unknown account "${row.accountRef}"` });
    else good.push({ at, input: { accountId: resolution.accountId, renewalDate: row.renewalDate, outcome: row.outcome, arr: row.arr } });
  }
  const repeats = findSuperseded(good.map(({ at, input }) => ({ at, key: `${input.accountId}\u0000${input.renewalDate.getTime()}` })), tracker);
  const written = await prisma.$transaction((tx) => upsertOutcomes(tx, good.map((g) => g.input), source), { timeout: 120_000 });
  // An outcome is evidence about the model, not an input to a score: nothing to rescore.
  return outcome(written, good.length, repeats.withinBatch, repeats.acrossBatches, errors, repeats.superseded, []);
}
