import { describe, expect, it } from 'vitest';
import { generatePortfolio } from '../../../src/demo/generate-portfolio.js';
import { generateRenewalHistory } from '../../../src/demo/generate-renewal-history.js';
import { addUtcYears, DAY_MS, WEEKS } from '../../../src/demo/generate-observations.js';

const asOf = new Date('2026-11-22T09:00:00Z');

describe('generateRenewalHistory', () => {
  const portfolio = generatePortfolio({ seed: 42, asOf, accounts: 240 });
  const history = generateRenewalHistory({ seed: 42, asOf, accounts: portfolio.accounts });
  const accounts = new Map([...portfolio.accounts, ...history.formerCustomers].map((a) => [a.externalId, a]));

  it('is deterministic', () => {
    const again = generateRenewalHistory({ seed: 42, asOf, accounts: portfolio.accounts });
    expect(again.outcomes).toEqual(history.outcomes);
    expect(again.observations.length).toBe(history.observations.length);
  });

  it('records every contract anniversary of the last two years, churned exactly at churned_on, none in the future', () => {
    const twoYearsAgo = addUtcYears(new Date('2026-11-22T00:00:00Z'), -2).getTime();
    for (const o of history.outcomes) {
      const account = accounts.get(o.externalId);
      expect(account?.customerSince).toBeTruthy();
      expect(o.renewalDate.getTime()).toBeLessThanOrEqual(asOf.getTime());
      expect(o.renewalDate.getTime()).toBeGreaterThan(twoYearsAgo);
      expect(o.renewalDate.getUTCDate()).toBe(account?.customerSince?.getUTCDate());
      if (o.outcome === 'churned') expect(o.renewalDate.getTime()).toBe(account?.churnedOn?.getTime());
      else if (account?.churnedOn) expect(o.renewalDate.getTime()).toBeLessThan(account.churnedOn.getTime());
    }
    const churned = history.outcomes.filter((o) => o.outcome === 'churned').length;
    expect(churned).toBeGreaterThan(60);
    expect(history.outcomes.length - churned).toBeGreaterThan(300);
    // Former customers have ids of their own, all demo ids.
    expect(history.formerCustomers.every((a) => a.externalId.startsWith('DEMO-X') && a.churnedOn)).toBe(true);
    expect(new Set(history.formerCustomers.map((a) => a.name)).size).toBe(history.formerCustomers.length);
    expect(portfolio.accounts.some((a) => history.formerCustomers.some((f) => f.name === a.name))).toBe(false);
  });

  it('writes inputs for older renewals only before the weekly history starts', () => {
    const historyStart = new Date('2026-11-22T00:00:00Z').getTime() - (WEEKS - 1) * 7 * DAY_MS;
    expect(history.observations.length).toBeGreaterThan(0);
    expect(history.observations.every((o) => o.observedAt.getTime() < historyStart)).toBe(true);
  });
});
