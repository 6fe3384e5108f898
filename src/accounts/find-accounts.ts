// Finding an account the way people type it: external id, domain, name in any
// case, a prefix or part of the name; near matches for typos.
import type { Prisma } from '../db/database.js';

export interface AccountRef {
  id: number;
  externalId: string;
  name: string;
  domain: string | null;
}

export type AccountMatch = { kind: 'one'; account: AccountRef } | { kind: 'many'; candidates: AccountRef[]; total: number } | { kind: 'none'; near: AccountRef[] };

const select = { id: true, externalId: true, name: true, domain: true } as const;
const MAX_CANDIDATES = 10;

export async function findAccounts(prisma: Prisma, rawQuery: string): Promise<AccountMatch> {
  const query = rawQuery.trim();
  const key = query.toLowerCase();
  if (key === '') return { kind: 'none', near: [] };
  const domainKey = key.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '');

  const exact = await prisma.account.findMany({
    // Each branch hits an index: ids as typed, upper- or lower-cased (a case-insensitive
    // match would scan every account on each /health), domain, lower-cased name.
    where: { OR: [{ externalId: { in: [...new Set([query, query.toUpperCase(), query.toLowerCase()])] } }, { domain: domainKey }, { nameKey: key }] },
    select,
    take: MAX_CANDIDATES + 1,
  });
  if (exact.length === 1 && exact[0]) return { kind: 'one', account: exact[0] };
  if (exact.length > 1) return { kind: 'many', candidates: exact.slice(0, MAX_CANDIDATES), total: exact.length };

  const partialWhere = { OR: [{ nameKey: { contains: key } }, { domain: { startsWith: domainKey } }] };
  const [partial, total] = await Promise.all([
    prisma.account.findMany({ where: partialWhere, select, orderBy: { name: 'asc' }, take: MAX_CANDIDATES }),
    prisma.account.count({ where: partialWhere }),
  ]);
  if (partial.length === 1 && partial[0]) return { kind: 'one', account: partial[0] };
  if (partial.length > 1) return { kind: 'many', candidates: partial, total };

  // Typos: compare against names sharing the first letter (bounded), closest first.
  const pool = await prisma.account.findMany({ where: { nameKey: { startsWith: key.slice(0, 1) } }, select, take: 2_000 });
  const near = pool
    .map((a) => ({ a, d: distance(key, a.name.toLowerCase().slice(0, key.length + 2)) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(key.length / 3)))
    .sort((x, y) => x.d - y.d || x.a.name.localeCompare(y.a.name))
    .slice(0, 5)
    .map((x) => x.a);
  return { kind: 'none', near };
}

/** Levenshtein distance, O(n·m) with one row. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
