// Finding an account the way people type it: external id or domain in any
// case, the name or part of it, and — when nothing matches — near matches for
// typos anywhere in the name, external id or domain. Typed text is a literal:
// LIKE wildcards (% _ \) are escaped, so `/health %` matches nothing.
import type { Prisma } from '../db/database.js';
import { Prisma as Sql } from '../generated/prisma/client.js';
import { nearMatchScore, queryGrams } from './similarity.js';

export interface AccountRef {
  id: number;
  externalId: string;
  name: string;
  domain: string | null;
}

export type AccountMatch = { kind: 'one'; account: AccountRef } | { kind: 'many'; candidates: AccountRef[]; total: number } | { kind: 'none'; near: AccountRef[] };

const MAX_CANDIDATES = 10;
/** Accounts scored in TypeScript for near matches: the ones sharing most fragments with the query. */
const NEAR_POOL = 300;
const MAX_NEAR = 5;
const NEAR_THRESHOLD = 0.5;
/** Longer text is not a mistyped account name; comparing it would only cost time. */
const MAX_NEAR_QUERY = 60;

type Row = { id: number; external_id: string; name: string; domain: string | null; total: bigint | number };

/** Escapes LIKE's wildcards and its escape character, for `LIKE … ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const toRef = (r: Row): AccountRef => ({ id: r.id, externalId: r.external_id, name: r.name, domain: r.domain });

export async function findAccounts(prisma: Prisma, rawQuery: string): Promise<AccountMatch> {
  // PostgreSQL text cannot hold NUL; nobody types it on purpose.
  const query = rawQuery.replace(/\u0000/g, '').trim();
  const key = query.toLowerCase();
  if (key === '') return { kind: 'none', near: [] };
  const domainKey = key.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '');

  // External ids are matched case-insensitively (`mixed-case-9` finds `Mixed-Case-9`);
  // domains and name keys are stored lower-cased.
  const exact = await prisma.$queryRaw<Row[]>`
    SELECT id, external_id, name, domain, count(*) OVER () AS total FROM accounts
    WHERE lower(external_id) = ${key} OR domain = ${domainKey} OR name_key = ${key}
    ORDER BY name, id LIMIT ${MAX_CANDIDATES}`;
  const exactMatch = pick(exact);
  if (exactMatch) return exactMatch;

  const contains = `%${escapeLike(key)}%`;
  const prefix = `${escapeLike(key)}%`;
  const domainPrefix = `${escapeLike(domainKey)}%`;
  const partial = await prisma.$queryRaw<Row[]>`
    SELECT id, external_id, name, domain, count(*) OVER () AS total FROM accounts
    WHERE name_key LIKE ${contains} ESCAPE '\\' OR lower(external_id) LIKE ${prefix} ESCAPE '\\' OR domain LIKE ${domainPrefix} ESCAPE '\\'
    ORDER BY name, id LIMIT ${MAX_CANDIDATES}`;
  const partialMatch = pick(partial);
  if (partialMatch) return partialMatch;

  return { kind: 'none', near: await findNear(prisma, key) };
}

function pick(rows: Row[]): AccountMatch | null {
  const first = rows[0];
  if (!first) return null;
  const total = Number(first.total);
  return total === 1 ? { kind: 'one', account: toRef(first) } : { kind: 'many', candidates: rows.map(toRef), total };
}

/**
 * Typos: the database narrows to the accounts sharing most three-letter
 * fragments with the query (in name, external id or domain, any position),
 * then each is scored by edit distance and fragment overlap against its name,
 * the name's words, its external id and its domain.
 */
async function findNear(prisma: Prisma, key: string): Promise<AccountRef[]> {
  if (key.length > MAX_NEAR_QUERY) return [];
  const grams = queryGrams(key);
  if (grams.length === 0) return [];
  const haystack = Sql.sql`(name_key || ' ' || lower(external_id) || ' ' || coalesce(domain, ''))`;
  const hits = grams.map((g) => Sql.sql`(${haystack} LIKE ${`%${escapeLike(g)}%`} ESCAPE '\\')`);
  const pool = await prisma.$queryRaw<Row[]>`
    SELECT id, external_id, name, domain, 0 AS total FROM accounts
    WHERE ${Sql.join(hits, ' OR ')}
    ORDER BY ${Sql.join(hits.map((h) => Sql.sql`${h}::int`), ' + ')} DESC, id
    LIMIT ${NEAR_POOL}`;
  return pool
    .map((row) => ({ row, score: nearMatchScore(key, [row.name, row.external_id, row.domain]) }))
    .filter((x) => x.score >= NEAR_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.row.name.localeCompare(b.row.name))
    .slice(0, MAX_NEAR)
    .map((x) => toRef(x.row));
}
