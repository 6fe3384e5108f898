// Turns the `account` column of metric rows into account ids, in one query per
// batch: external id first, then domain, then case-insensitive name.
import type { Prisma } from '../db/database.js';

type Db = Pick<Prisma, '$queryRaw'>;

export type Resolution = { ok: true; accountId: number } | { ok: false; error: string };

export async function resolveAccountRefs(db: Db, refs: readonly string[]): Promise<Map<string, Resolution>> {
  const distinct = [...new Set(refs)];
  const out = new Map<string, Resolution>();
  if (distinct.length === 0) return out;
  const lowered = distinct.map((r) => r.toLowerCase());
  const rows = await db.$queryRaw<{ id: number; external_id: string; domain: string | null; name_key: string }[]>`
    SELECT id, external_id, domain, name_key FROM accounts
    WHERE external_id = ANY(${distinct}::text[]) OR domain = ANY(${lowered}::text[]) OR name_key = ANY(${lowered}::text[])`;
  for (const ref of distinct) {
    const key = ref.toLowerCase();
    const byId = rows.filter((r) => r.external_id === ref);
    const byDomain = rows.filter((r) => r.domain === key);
    const byName = rows.filter((r) => r.name_key === key);
    const pick = byId.length > 0 ? byId : byDomain.length > 0 ? byDomain : byName;
    if (pick.length === 1 && pick[0]) out.set(ref, { ok: true, accountId: pick[0].id });
    else if (pick.length > 1) out.set(ref, { ok: false, error: `ambiguous account "${ref}" matches ${pick.length} accounts (use the external_id)` });
    else out.set(ref, { ok: false, error: `unknown account "${ref}" (no external_id, domain or name matches)` });
  }
  return out;
}
