// Bulk observation upsert: one statement per batch; re-sending the same
// (account, metric, observed_at) replaces the value.
import type { Prisma } from '../db/database.js';

type Db = Pick<Prisma, '$queryRaw'>;

export interface ObservationInput {
  accountId: number;
  metricKey: string;
  value: number;
  observedAt: Date;
}

export interface ObservationWriteResult {
  inserted: number;
  updated: number;
}

export async function upsertObservations(db: Db, rows: readonly ObservationInput[], source: string): Promise<ObservationWriteResult> {
  // Postgres refuses to update one row twice in a statement: the last duplicate wins.
  const unique = [...new Map(rows.map((r) => [`${r.accountId}\u0000${r.metricKey}\u0000${r.observedAt.getTime()}`, r])).values()];
  if (unique.length === 0) return { inserted: 0, updated: 0 };
  const result = await db.$queryRaw<{ inserted: bigint | number; total: bigint | number }[]>`
    WITH written AS (
      INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source, updated_at)
      SELECT t.a, t.m, t.v, t.o, ${source}, now()
      FROM unnest(${unique.map((r) => r.accountId)}::int[], ${unique.map((r) => r.metricKey)}::text[],
                  ${unique.map((r) => r.value)}::float8[], ${unique.map((r) => r.observedAt)}::timestamptz[]) AS t(a, m, v, o)
      ON CONFLICT (account_id, metric_key, observed_at) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, updated_at = now()
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) AS total FROM written`;
  const inserted = Number(result[0]?.inserted ?? 0);
  return { inserted, updated: Number(result[0]?.total ?? 0) - inserted };
}
