// Turns the `account` column of metric rows into account ids, in one query per
// batch: external id (exact, then in any case), then domain, then name, all
// case-insensitive as PRODUCT.md promises ("acc-1" finds "ACC-1").
import type { Prisma } from '../db/database.js';

type Db = Pick<Prisma, '$queryRaw'>;

export type Resolution = { ok: true; accountId: number } | { ok: false; error: string };

export async function resolveAccountRefs(db: Db, refs: readonly string[]): Promise<Map<string, Resolution>> {
  const distinct = [...new Set(refs)];
  const out = new Map<string, Resolution>();
  if (distinct.length === 0) return out;
  const lowered = [...new Set(distinct.map((r) => r.toLowerCase()))];
  // lower(external_id) has no index (the schema indexes external_id as written);
  // one scan per batch of up to 5,000 rows is cheap next to the writes.
  const rows = await db.$queryRaw<{ id: number; external_id: string; domain: string | null; name_key: string }[]>`
    SELECT id, external_id, domain, name_key FROM accounts
    WHERE lower(external_id) = ANY(${lowered}::text[]) OR domain = ANY(${lowered}::text[]) OR name_key = ANY(${lowered}::text[])`;
  for (const ref of distinct) {
    const key = ref.toLowerCase();
    const exactId = rows.filter((r) => r.external_id === ref);
    const anyCaseId = rows.filter((r) => r.external_id.toLowerCase() === key);
    const byDomain = rows.filter((r) => r.domain === key);
    const byName = rows.filter((r) => r.name_key === key);
    const pick = [exactId, anyCaseId, byDomain, byName].find((matches) => matches.length > 0) ?? [];
    if (pick.length === 1 && pick[0]) out.set(ref, { ok: true, accountId: pick[0].id });
    else if (pick.length > 1) out.set(ref, { ok: false, error: `ambiguous account "${ref}" matches ${pick.length} accounts (${pick.slice(0, 3).map((r) => r.external_id).join(', ')}; use the exact external_id)` });
    else out.set(ref, { ok: false, error: `unknown account "${ref}" (no external_id, domain or name matches)` });
  }
  return out;
}
