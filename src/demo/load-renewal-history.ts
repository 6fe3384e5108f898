// Writes the demo's renewal history (generate-renewal-history.ts): former
// customers, their and everyone's inputs around older renewals, and the
// outcomes. A re-run replaces the earlier demo's outcomes.
import type { Prisma } from '../db/database.js';
import { upsertOutcomes } from '../ingest/ingest-outcomes.js';
import { upsertAccounts } from '../ingest/write-accounts.js';
import { upsertObservations } from '../ingest/write-observations.js';
import type { AccountInput } from '../ingest/write-accounts.js';
import { generateRenewalHistory } from './generate-renewal-history.js';

const BATCH = 10_000;

export async function loadRenewalHistory(prisma: Pick<Prisma, '$queryRaw' | '$executeRaw'>, options: { seed: number; asOf: Date; accounts: readonly AccountInput[] }): Promise<{ formerCustomers: number; outcomes: number; churned: number }> {
  const history = generateRenewalHistory(options);
  await upsertAccounts(prisma, history.formerCustomers);
  const externalIds = [...options.accounts, ...history.formerCustomers].map((a) => a.externalId);
  const ids = new Map(
    (await prisma.$queryRaw<{ id: number; external_id: string }[]>`SELECT id, external_id FROM accounts WHERE external_id = ANY(${externalIds}::text[])`).map((a) => [a.external_id, a.id]),
  );
  await prisma.$executeRaw`DELETE FROM renewal_outcomes WHERE source = 'demo' AND account_id = ANY(${[...ids.values()]}::int[])`;
  const observations = history.observations.flatMap((o) => {
    const accountId = ids.get(o.externalId);
    return accountId === undefined ? [] : [{ accountId, metricKey: o.metricKey, value: o.value, observedAt: o.observedAt }];
  });
  for (let i = 0; i < observations.length; i += BATCH) await upsertObservations(prisma, observations.slice(i, i + BATCH), 'demo');
  const outcomes = history.outcomes.flatMap((o) => {
    const accountId = ids.get(o.externalId);
    return accountId === undefined ? [] : [{ accountId, renewalDate: o.renewalDate, outcome: o.outcome, arr: o.arr }];
  });
  for (let i = 0; i < outcomes.length; i += BATCH) await upsertOutcomes(prisma, outcomes.slice(i, i + BATCH), 'demo');
  return { formerCustomers: history.formerCustomers.length, outcomes: outcomes.length, churned: outcomes.filter((o) => o.outcome === 'churned').length };
}
