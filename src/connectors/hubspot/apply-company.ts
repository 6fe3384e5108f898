// Applies one HubSpot company in one transaction: its account (found by its
// `hubspot:` alias, else by a domain no other HubSpot company has claimed, else
// created as `hubspot-<id>`) and its alias commit together or not at all, and
// applying the same company again changes nothing more.
import type { Prisma } from '../../db/database.js';
import { claimAlias } from '../../accounts/alias-store.js';
import { upsertAccounts, type AccountInput } from '../../ingest/write-accounts.js';
import type { CompanyFields } from './map-company.js';

type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

export type Applied = 'created' | 'updated';

async function findAccount(tx: Tx, company: CompanyFields): Promise<{ id: number; externalId: string } | null> {
  const [byAlias] = await tx.$queryRaw<{ id: number; external_id: string }[]>`
    SELECT a.id, a.external_id FROM account_aliases al JOIN accounts a ON a.id = al.account_id WHERE al.kind = 'hubspot' AND al.value = ${company.hubspotId}`;
  if (byAlias) return { id: byAlias.id, externalId: byAlias.external_id };
  if (company.domain) {
    // An account imported before the sync, known by its domain, becomes this company's account,
    // unless another HubSpot company already holds it.
    const byDomain = await tx.$queryRaw<{ id: number; external_id: string }[]>`
      SELECT DISTINCT a.id, a.external_id FROM accounts a
      LEFT JOIN account_aliases d ON d.account_id = a.id AND d.kind = 'domain'
      WHERE (a.domain = ${company.domain} OR d.value = ${company.domain})
        AND NOT EXISTS (SELECT 1 FROM account_aliases h WHERE h.account_id = a.id AND h.kind = 'hubspot')`;
    if (byDomain.length === 1 && byDomain[0]) return { id: byDomain[0].id, externalId: byDomain[0].external_id };
  }
  return null;
}

export async function applyCompany(prisma: Prisma, company: CompanyFields, ownerSlackUserId: string | undefined): Promise<Applied> {
  return prisma.$transaction(async (tx) => {
    const found = await findAccount(tx, company);
    const externalId = found?.externalId ?? `hubspot-${company.hubspotId}`;
    const existed = found !== null || (await tx.account.count({ where: { externalId } })) > 0;
    const row: AccountInput = { externalId, name: company.name };
    if (company.domain !== undefined) row.domain = company.domain;
    if (company.arr !== undefined) row.arr = company.arr;
    if (company.renewalDate !== undefined) row.renewalDate = company.renewalDate;
    if (ownerSlackUserId !== undefined) row.ownerSlackUserId = ownerSlackUserId;
    await upsertAccounts(tx, [row]);
    const account = await tx.account.findUniqueOrThrow({ where: { externalId }, select: { id: true } });
    const claimed = await claimAlias(tx, account.id, { kind: 'hubspot', value: company.hubspotId });
    // findAccount looked the alias up inside this transaction; a concurrent
    // writer taking it since is a conflict worth failing loudly over.
    if (!claimed.ok) throw new Error(`hubspot:${company.hubspotId} was claimed by account "${claimed.heldBy}" during the sync`);
    return existed ? 'updated' : 'created';
  });
}
