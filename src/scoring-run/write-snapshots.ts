// Snapshot storage for a recomputation: each account's current fingerprint in,
// changed snapshots and the current-score pointers out, set-based.
import type { Prisma } from '../db/database.js';
import { num, parseJsonRows, str } from '../db/json-rows.js';
import { Prisma as Sql } from '../generated/prisma/client.js';
import type { ScoreResult } from '../scoring/types.js';
import type { Tx } from './recompute.js';

type Db = Pick<Prisma, '$queryRaw'>;

export interface CurrentScore {
  fingerprint: string;
  asOf: Date;
}

export interface SnapshotWrite {
  accountId: number;
  versionId: number;
  renewalDate: Date | null;
  result: ScoreResult;
  /** JSON of the encoded components (component-codec), already built for the fingerprint. */
  componentsJson: string;
  fingerprint: string;
}

/** Rows per statement: ~3 MB of JSON, well inside what either engine parses quickly. */
const BATCH = 5_000;
/** ASCII RS: never raw inside JSON text (JSON.stringify escapes control characters). */
const RECORD_SEPARATOR = '\u001e';

export async function loadCurrentScores(db: Db, accountIds?: readonly number[]): Promise<Map<number, CurrentScore>> {
  const [row] = await db.$queryRaw<{ rows: string }[]>`
    SELECT coalesce(json_agg(json_build_array(account_id, fingerprint, floor(extract(epoch FROM as_of) * 1000))), '[]')::text AS rows
    FROM account_scores
    WHERE (${accountIds === undefined} OR account_id = ANY(${accountIds ?? []}::int[]))`;
  return new Map(parseJsonRows(row?.rows).map(([accountId, fingerprint, asOfMs]) => [num(accountId), { fingerprint: str(fingerprint), asOf: new Date(num(asOfMs)) }]));
}

/**
 * Writes the snapshots and moves each account's current-score pointer — never
 * backwards: scoring a past date adds history without replacing today's score.
 * Returns account id → id of the snapshot written for it (none where a
 * backfill kept an existing one).
 * One JSON document of the scalars per batch, and the components' JSON joined
 * by a record separator (JSON text never holds a raw control character), zipped
 * back by position: inside one document PostgreSQL lexed every component twice
 * (the document, then the json column's input), a third of the statement's
 * time. A text[] of component JSON cost 5x more to serialise and parse, and
 * jsonb 3x more to parse, on both engines.
 */
export async function writeSnapshots(tx: Tx, runId: number, asOf: Date, rows: readonly SnapshotWrite[], skipExisting: boolean): Promise<Map<number, bigint>> {
  const written = new Map<number, bigint>();
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const scalars = `[${batch.map((r) => `{"a":${r.accountId},"v":${r.versionId},"s":${r.result.score ?? 'null'},"b":${JSON.stringify(r.result.band)},"c":${r.result.completeness},"f":${JSON.stringify(r.fingerprint)}}`).join(',')}]`;
    const components = batch.map((r) => r.componentsJson).join(RECORD_SEPARATOR);
    // Backfill keeps what a run already stored for that date; otherwise the run's result replaces it.
    const onConflict = skipExisting
      ? Sql.sql`DO NOTHING`
      : Sql.sql`DO UPDATE SET run_id = EXCLUDED.run_id, model_version_id = EXCLUDED.model_version_id, score = EXCLUDED.score,
          band = EXCLUDED.band, completeness = EXCLUDED.completeness, components = EXCLUDED.components`;
    const [result] = await tx.$queryRaw<{ ids: string }[]>`
      WITH input AS (
        SELECT * FROM ROWS FROM (
          json_to_recordset(${scalars}::json) AS (a int, v int, s float8, b text, c float8, f text),
          unnest(string_to_array(${components}::text, ${RECORD_SEPARATOR}::text))
        ) AS r(a, v, s, b, c, f, j)),
      written AS (
        INSERT INTO score_snapshots (run_id, account_id, model_version_id, as_of, score, band, completeness, components)
        SELECT ${runId}, a, v, ${asOf}, s, b, c, j::json FROM input
        ON CONFLICT (account_id, as_of) ${onConflict}
        RETURNING id, account_id, score, band),
      pointers AS (
        INSERT INTO account_scores AS cur (account_id, snapshot_id, as_of, score, band, fingerprint)
        SELECT w.account_id, w.id, ${asOf}, w.score, w.band, i.f FROM written w JOIN input i ON i.a = w.account_id
        ON CONFLICT (account_id) DO UPDATE SET snapshot_id = EXCLUDED.snapshot_id, as_of = EXCLUDED.as_of,
          score = EXCLUDED.score, band = EXCLUDED.band, fingerprint = EXCLUDED.fingerprint
        WHERE cur.as_of <= EXCLUDED.as_of)
      SELECT coalesce(json_agg(json_build_array(account_id, id::text)), '[]')::text AS ids FROM written`;
    for (const [accountId, id] of parseJsonRows(result?.ids)) written.set(num(accountId), BigInt(str(id)));
  }
  return written;
}
