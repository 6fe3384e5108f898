import { describe, expect, it } from 'vitest';
import { generatePortfolio } from '../../../src/demo/generate-portfolio.js';

const asOf = new Date('2026-11-22T00:00:00Z');

describe('generatePortfolio', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generatePortfolio({ seed: 7, asOf, accounts: 30 });
    const b = generatePortfolio({ seed: 7, asOf, accounts: 30 });
    const c = generatePortfolio({ seed: 8, asOf, accounts: 30 });
    expect(b.accounts).toEqual(a.accounts);
    expect([...b.observations()]).toEqual([...a.observations()]);
    expect(c.accounts).not.toEqual(a.accounts);
  });

  it('makes at least 200 accounts across the three segments with unique names and ids', () => {
    const p = generatePortfolio({ seed: 42, asOf });
    expect(p.accounts.length).toBeGreaterThanOrEqual(200);
    expect(new Set(p.accounts.map((a) => a.segment))).toEqual(new Set(['enterprise', 'mid-market', 'smb']));
    expect(new Set(p.accounts.map((a) => a.name)).size).toBe(p.accounts.length);
    expect(new Set([...p.trajectories.values()])).toEqual(new Set(['stable', 'declining', 'growing', 'churned', 'noisy']));
  });

  it('keeps values in their ranges and stops observing churned accounts at churn', () => {
    const p = generatePortfolio({ seed: 42, asOf, accounts: 120 });
    const churnDates = new Map(p.accounts.filter((a) => a.churnedOn).map((a) => [a.externalId, a.churnedOn?.getTime() ?? 0]));
    for (const o of p.observations()) {
      if (o.metricKey.endsWith('_pct') || o.metricKey === 'csat') expect(o.value).toBeGreaterThanOrEqual(0);
      if (o.metricKey.endsWith('_pct') || o.metricKey === 'csat') expect(o.value).toBeLessThanOrEqual(100);
      if (o.metricKey === 'nps') expect(Math.abs(o.value)).toBeLessThanOrEqual(100);
      if (o.metricKey === 'orders_30d') expect(Number.isInteger(o.value) && o.value >= 0).toBe(true);
      if (o.metricKey === 'csm_sentiment') expect(o.value >= 1 && o.value <= 5).toBe(true);
      const churn = churnDates.get(o.externalId);
      if (churn !== undefined) expect(o.observedAt.getTime()).toBeLessThanOrEqual(churn + 86_400_000);
      expect(o.observedAt.getTime()).toBeLessThanOrEqual(asOf.getTime());
    }
  });

  it('makes declining accounts really decline: last month of orders under 70% of months 1–6', () => {
    const p = generatePortfolio({ seed: 42, asOf, accounts: 120 });
    const declining = [...p.trajectories].filter(([, t]) => t === 'declining').map(([id]) => id);
    expect(declining.length).toBeGreaterThan(5);
    const monthAgo = asOf.getTime() - 30 * 86_400_000;
    const halfYear = asOf.getTime() - 180 * 86_400_000;
    for (const id of declining) {
      const orders = [...p.observations()].filter((o) => o.externalId === id && o.metricKey === 'orders_30d');
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const recent = mean(orders.filter((o) => o.observedAt.getTime() > monthAgo).map((o) => o.value));
      const early = mean(orders.filter((o) => o.observedAt.getTime() <= halfYear).map((o) => o.value));
      expect(recent).toBeLessThan(early * 0.7);
    }
  });
});
