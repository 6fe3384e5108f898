// Account aliases in the database: who owns an alias, writing an account's
// aliases, and resolving provider ids and e-mail domains to accounts. Every
// lookup is one parameterised query, whatever the number of aliases asked for.
import type { Prisma } from '../db/database.js';
import { companyMailDomain, domainCandidates, normaliseAlias, type Alias } from './aliases.js';

type Db = Pick<Prisma, '$queryRaw' | '$executeRaw'>;

export interface ResolvedAccount {
  accountId: number;
  externalId: string;
  /** How it matched: an alias of that kind, or the account's own `domain` field. */
  via: Alias['kind'] | 'account-domain';
}

/** The external id of each alias's current owner, keyed by `kind:value`. */
export async function findAliasOwners(db: Db, aliases: readonly Alias[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (aliases.length === 0) return out;
  const rows = await db.$queryRaw<{ kind: string; value: string; external_id: string }[]>`
    SELECT al.kind, al.value, a.external_id FROM account_aliases al JOIN accounts a ON a.id = al.account_id
    JOIN unnest(${aliases.map((a) => a.kind)}::text[], ${aliases.map((a) => a.value)}::text[]) AS t(k, v) ON al.kind = t.k AND al.value = t.v`;
  for (const row of rows) out.set(`${row.kind}:${row.value}`, row.external_id);
  return out;
}

/**
 * Makes each listed account's aliases exactly `aliases` (an empty list clears
 * them). Callers check ownership first (findAliasOwners); an alias another
 * account took meanwhile fails the unique index, so the caller's transaction
 * rolls back rather than moving it silently.
 */
export async function replaceAccountAliases(db: Db, rows: readonly { externalId: string; aliases: readonly Alias[] }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRaw`
    DELETE FROM account_aliases WHERE account_id IN (SELECT id FROM accounts WHERE external_id = ANY(${rows.map((r) => r.externalId)}::text[]))`;
  const flat = rows.flatMap((r) => r.aliases.map((a) => ({ externalId: r.externalId, ...a })));
  if (flat.length === 0) return;
  await db.$executeRaw`
    INSERT INTO account_aliases (account_id, kind, value)
    SELECT a.id, t.k, t.v FROM unnest(${flat.map((f) => f.externalId)}::text[], ${flat.map((f) => f.kind)}::text[], ${flat.map((f) => f.value)}::text[]) AS t(e, k, v)
    JOIN accounts a ON a.external_id = t.e`;
}

/**
 * Gives `accountId` the alias unless another account holds it. Returns the
 * external id of the account that holds it when that is another account.
 */
export async function claimAlias(db: Db, accountId: number, alias: Alias): Promise<{ ok: true } | { ok: false; heldBy: string }> {
  const inserted = await db.$executeRaw`
    INSERT INTO account_aliases (account_id, kind, value) VALUES (${accountId}, ${alias.kind}, ${alias.value})
    ON CONFLICT (kind, value) DO NOTHING`;
  if (inserted === 1) return { ok: true };
  const [holder] = await db.$queryRaw<{ account_id: number; external_id: string }[]>`
    SELECT al.account_id, a.external_id FROM account_aliases al JOIN accounts a ON a.id = al.account_id WHERE al.kind = ${alias.kind} AND al.value = ${alias.value}`;
  if (!holder || holder.account_id === accountId) return { ok: true };
  return { ok: false, heldBy: holder.external_id };
}

export async function listAccountAliases(db: Db, accountId: number): Promise<Alias[]> {
  return db.$queryRaw<Alias[]>`SELECT kind, value FROM account_aliases WHERE account_id = ${accountId} ORDER BY kind, value`;
}

/** The account known by `kind:value` (normalised as on import), or null. */
export async function resolveAccountByAlias(db: Db, kind: string, value: string): Promise<ResolvedAccount | null> {
  const alias = normaliseAlias(kind, value);
  if (!alias.ok) return null;
  if (alias.value.kind === 'domain') return resolveAccountByDomain(db, alias.value.value);
  const [row] = await db.$queryRaw<{ account_id: number; external_id: string }[]>`
    SELECT al.account_id, a.external_id FROM account_aliases al JOIN accounts a ON a.id = al.account_id
    WHERE al.kind = ${alias.value.kind} AND al.value = ${alias.value.value}`;
  return row ? { accountId: row.account_id, externalId: row.external_id, via: alias.value.kind } : null;
}

/**
 * The account an e-mail address (or a bare domain) belongs to: a `domain:`
 * alias first, then an account's own `domain`, for the host and then its
 * parents (jane@eu.acme.com finds acme.com). A public mail provider never
 * matches, and a domain two accounts share is ambiguous: null.
 */
export async function resolveAccountByEmailDomain(db: Db, emailOrDomain: string): Promise<ResolvedAccount | null> {
  const host = companyMailDomain(emailOrDomain.includes('@') ? emailOrDomain : `x@${emailOrDomain}`);
  return host === null ? null : resolveAccountByDomain(db, host);
}

async function resolveAccountByDomain(db: Db, host: string): Promise<ResolvedAccount | null> {
  const candidates = domainCandidates(host);
  const rows = await db.$queryRaw<{ domain: string; account_id: number; external_id: string; via: 'domain' | 'account-domain' }[]>`
    SELECT al.value AS domain, al.account_id, a.external_id, 'domain' AS via FROM account_aliases al JOIN accounts a ON a.id = al.account_id
    WHERE al.kind = 'domain' AND al.value = ANY(${candidates}::text[])
    UNION ALL
    SELECT a.domain, a.id, a.external_id, 'account-domain' FROM accounts a WHERE a.domain = ANY(${candidates}::text[])`;
  for (const candidate of candidates) {
    for (const via of ['domain', 'account-domain'] as const) {
      const matches = [...new Map(rows.filter((r) => r.domain === candidate && r.via === via).map((r) => [r.account_id, r])).values()];
      if (matches.length === 1 && matches[0]) return { accountId: matches[0].account_id, externalId: matches[0].external_id, via };
      if (matches.length > 1) return null;
    }
  }
  return null;
}

/**
 * The first of `hints` (in order of preference) that names an account: how a
 * provider event finds its account, e.g. [shopify:<company id>, domain:<buyer's domain>].
 */
export async function resolveAttribution(db: Db, hints: readonly Alias[]): Promise<ResolvedAccount | null> {
  for (const hint of hints) {
    const found = await resolveAccountByAlias(db, hint.kind, hint.value);
    if (found) return found;
  }
  return null;
}

