// The outcomes a model can be judged on: renewal_outcomes rows, plus each
// account's churned_on as a churn at that date (unless a churned outcome
// already records the same loss). A renewal date that passed with nothing
// recorded is not an outcome: we do not know it renewed.
import type { Prisma } from '../db/database.js';
import type { ActiveModels } from '../models/model-store.js';
import { accountsInScope } from '../tuning/model-scope.js';

const DAY_MS = 86_400_000;
/** A churned outcome this close to churned_on is the same loss, recorded twice. */
const SAME_CHURN_DAYS = 120;

export interface Outcome {
  accountId: number;
  /** The renewal (or churn) date the outcome happened at. */
  date: Date;
  churned: boolean;
  source: 'outcome' | 'churned_on';
}

export interface OutcomeAccount {
  id: number;
  renewalDate: Date | null;
  customerSince: Date | null;
}

export async function loadOutcomes(prisma: Prisma, models: ActiveModels, modelKey: string): Promise<{ outcomes: Outcome[]; accounts: Map<number, OutcomeAccount> }> {
  const scope = await accountsInScope(prisma, models, modelKey, { churned: 'any' });
  const ids = scope.map((a) => a.id);
  const [recorded, details] = await Promise.all([
    prisma.renewalOutcome.findMany({ where: { accountId: { in: ids } }, select: { accountId: true, renewalDate: true, outcome: true }, orderBy: [{ accountId: 'asc' }, { renewalDate: 'asc' }] }),
    prisma.account.findMany({ where: { id: { in: ids } }, select: { id: true, renewalDate: true, customerSince: true } }),
  ]);
  const outcomes: Outcome[] = recorded.map((r) => ({ accountId: r.accountId, date: r.renewalDate, churned: r.outcome === 'churned', source: 'outcome' }));
  for (const account of scope) {
    if (!account.churnedOn) continue;
    const churnedMs = account.churnedOn.getTime();
    const already = outcomes.some((o) => o.accountId === account.id && o.churned && Math.abs(o.date.getTime() - churnedMs) <= SAME_CHURN_DAYS * DAY_MS);
    if (!already) outcomes.push({ accountId: account.id, date: account.churnedOn, churned: true, source: 'churned_on' });
  }
  outcomes.sort((a, b) => a.accountId - b.accountId || a.date.getTime() - b.date.getTime());
  return { outcomes, accounts: new Map(details.map((d) => [d.id, d])) };
}
