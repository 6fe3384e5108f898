// Applies one page of HubSpot companies in one transaction: each company's
// account (found by its `hubspot:` alias, else by a domain no other HubSpot
// company has claimed, else created as `hubspot-<id>`) and its alias commit
// together or not at all, and applying the same companies again changes
// nothing but their values. A handful of set-based statements per page, not
// per company: a 10,000-company portal is 100 transactions.
import { attributeWaitingEvents } from '../../events/ingest-messages.js';
import type { Prisma } from '../../db/database.js';
import { upsertAccounts, type AccountInput } from '../../ingest/write-accounts.js';
import type { CompanyFields } from './map-company.js';

export type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

export interface CompanyToApply {
  fields: CompanyFields;
  /** The owner's Slack user, when HubSpot names an owner Slack knows. */
  ownerSlackUserId: string | undefined;
}

interface Found {
  id: number;
  externalId: string;
}

/** Accounts already linked to these companies, by HubSpot id. */
async function findByAlias(tx: Tx, hubspotIds: readonly string[]): Promise<Map<string, Found>> {
  const rows = await tx.$queryRaw<{ value: string; id: number; external_id: string }[]>`
    SELECT al.value, a.id, a.external_id FROM account_aliases al JOIN accounts a ON a.id = al.account_id
    WHERE al.kind = 'hubspot' AND al.value = ANY(${hubspotIds}::text[])`;
  return new Map(rows.map((r) => [r.value, { id: r.id, externalId: r.external_id }]));
}

/**
 * Accounts known before the sync by a domain (their own or a `domain:` alias)
 * and not yet linked to any HubSpot company; a domain two such accounts share names neither.
 */
async function findByDomain(tx: Tx, domains: readonly string[]): Promise<Map<string, Found>> {
  if (domains.length === 0) return new Map();
  // Two indexed lookups (accounts.domain, the (kind, value) alias index), not an OR
  // that would scan every account for every page.
  const rows = await tx.$queryRaw<{ domain: string; id: number; external_id: string }[]>`
    SELECT m.domain, a.id, a.external_id FROM (
      SELECT a.domain, a.id FROM accounts a WHERE a.domain = ANY(${domains}::text[])
      UNION
      SELECT d.value, d.account_id FROM account_aliases d WHERE d.kind = 'domain' AND d.value = ANY(${domains}::text[])
    ) AS m(domain, id)
    JOIN accounts a ON a.id = m.id
    WHERE NOT EXISTS (SELECT 1 FROM account_aliases h WHERE h.account_id = a.id AND h.kind = 'hubspot')`;
  const byDomain = new Map<string, Found[]>();
  for (const r of rows) byDomain.set(r.domain, [...(byDomain.get(r.domain) ?? []), { id: r.id, externalId: r.external_id }]);
  return new Map([...byDomain].flatMap(([domain, found]) => (found.length === 1 && found[0] ? [[domain, found[0]] as const] : [])));
}

/** `andThen` runs in the same transaction (the sync stores its cursor there, so a page and its cursor commit together). */
export async function applyCompanies(prisma: Prisma, companies: readonly CompanyToApply[], andThen?: (tx: Tx) => Promise<unknown>): Promise<{ created: number; updated: number }> {
  return prisma.$transaction(
    async (tx) => {
      if (companies.length === 0) {
        await andThen?.(tx);
        return { created: 0, updated: 0 };
      }
      const byAlias = await findByAlias(tx, companies.map((c) => c.fields.hubspotId));
      const unlinked = companies.filter((c) => !byAlias.has(c.fields.hubspotId));
      const byDomain = await findByDomain(tx, [...new Set(unlinked.flatMap((c) => (c.fields.domain ? [c.fields.domain] : [])))]);
      // An account found by domain goes to the first company of the page with that domain.
      const taken = new Set<number>();
      const rows: AccountInput[] = companies.map(({ fields, ownerSlackUserId }) => {
        let found = byAlias.get(fields.hubspotId);
        if (!found && fields.domain) {
          const candidate = byDomain.get(fields.domain);
          if (candidate && !taken.has(candidate.id)) found = candidate;
        }
        if (found) taken.add(found.id);
        const row: AccountInput = { externalId: found?.externalId ?? `hubspot-${fields.hubspotId}`, name: fields.name };
        if (fields.domain !== undefined) row.domain = fields.domain;
        if (fields.arr !== undefined) row.arr = fields.arr;
        if (fields.renewalDate !== undefined) row.renewalDate = fields.renewalDate;
        if (ownerSlackUserId !== undefined) row.ownerSlackUserId = ownerSlackUserId;
        return row;
      });
      const externalIds = rows.map((r) => r.externalId);
      const existing = await tx.account.count({ where: { externalId: { in: [...new Set(externalIds)] } } });
      const written = await upsertAccounts(tx, rows);
      const hubspotIds = companies.map((c) => c.fields.hubspotId);
      await tx.$executeRaw`
        INSERT INTO account_aliases (account_id, kind, value)
        SELECT a.id, 'hubspot', t.v FROM unnest(${externalIds}::text[], ${hubspotIds}::text[]) AS t(e, v) JOIN accounts a ON a.external_id = t.e
        ON CONFLICT (kind, value) DO NOTHING`;
      // Each alias must now name the account it was written for; another writer
      // taking one meanwhile fails the page (rolled back, retried next run).
      const [linked] = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM unnest(${externalIds}::text[], ${hubspotIds}::text[]) AS t(e, v)
        JOIN accounts a ON a.external_id = t.e JOIN account_aliases al ON al.account_id = a.id AND al.kind = 'hubspot' AND al.value = t.v`;
      if ((linked?.n ?? 0) !== companies.length) throw new Error('a HubSpot alias of this page is held by another account; the page was not applied');
      // Provider events that waited for these accounts' aliases or domains are attributed with the page.
      const applied = await tx.account.findMany({ where: { externalId: { in: [...new Set(externalIds)] } }, select: { id: true } });
      await attributeWaitingEvents(tx, applied.map((a) => a.id));
      await andThen?.(tx);
      return { created: written - existing, updated: companies.length - (written - existing) };
    },
    { timeout: 120_000 },
  );
}
