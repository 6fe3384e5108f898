// evaluateModel and previewModelChange on both databases, with outcomes
// designed so every figure is known: which accounts are judged (segment,
// churn date − 60 days), which are left out, and what a candidate changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { loadActiveModels, stripVersion } from '../../../src/models/model-store.js';
import type { ModelDefinition } from '../../../src/scoring/types.js';
import { describeEvaluation, evaluateModel } from '../../../src/tuning/evaluate-model.js';
import { previewModelChange } from '../../../src/tuning/preview-model-change.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { DECLINING, HEALTHY, seedAccounts, setMetrics } from '../../support/seed.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');
const LOW_ORDERS = { ...HEALTHY, orders_30d: 3 };
const LOW_USAGE = { ...HEALTHY, logins_30d: 25, feature_adoption_pct: 15 };

describe.each(DATABASE_KINDS)('model evaluation and preview (%s)', (kind) => {
  let db: Database;
  let model: ModelDefinition;
  const churn = async (id: number, daysAgo: number, metrics: Record<string, number> | null) => {
    const churnedOn = new Date(now.getTime() - daysAgo * DAY);
    await db.prisma.account.update({ where: { id }, data: { churnedOn } });
    // Observed five days before the judged date (churn − 60 days): fresh then.
    if (metrics) await setMetrics(db, id, metrics, new Date(churnedOn.getTime() - 65 * DAY));
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const ids = await seedAccounts(db, now, [
      { externalId: 'STEADY', name: 'Steady Inc', metrics: HEALTHY },
      { externalId: 'SLOWBUY', name: 'Slow Buyer Ltd', metrics: LOW_ORDERS },
      { externalId: 'GONE-1', name: 'Gone One', metrics: {} },
      { externalId: 'GONE-2', name: 'Gone Two', metrics: {} },
      { externalId: 'SILENT', name: 'Silent Ltd', metrics: {} },
      // Judged by the enterprise model, not the default one.
      { externalId: 'ENT-1', name: 'Big Enterprise', segment: 'enterprise', metrics: DECLINING },
    ]);
    await churn(ids.get('GONE-1') ?? 0, 10, LOW_USAGE);
    await churn(ids.get('GONE-2') ?? 0, 40, DECLINING);
    await churn(ids.get('SILENT') ?? 0, 20, null);
    model = stripVersion((await loadActiveModels(db.prisma)).forSegment(null));
  });
  afterAll(async () => {
    await db.close();
  });

  it('judges churned accounts 60 days before churning and retained ones today, per segment', async () => {
    const evaluation = await evaluateModel(db.prisma, 'default', null, now);
    // Both churned accounts scored below both retained ones; Silent had no data then.
    expect(evaluation).toEqual({ auc: 1, churned: 2, retained: 2, unscored: 1 });
    expect(describeEvaluation(evaluation)).toMatch(/^ROC AUC 1\.00 over 2 churned and 2 retained accounts/);
    expect(await evaluateModel(db.prisma, 'enterprise', null, now)).toEqual({ auc: null, churned: 0, retained: 1, unscored: 0 });
    expect(describeEvaluation(await evaluateModel(db.prisma, 'enterprise', null, now))).toBe('not enough outcomes yet (0 churned, 1 retained accounts with enough data)');
  });

  it('judges a candidate the same way, before it is saved', async () => {
    // Only orders count: Gone One still ordered (ties with Steady), Slow Buyer did not.
    const ordersOnly = { ...model, measures: [{ metricKey: 'orders_30d', weight: 1, good: 20, poor: 4 }] };
    expect(await evaluateModel(db.prisma, 'default', ordersOnly, now)).toEqual({ auc: 0.5, churned: 2, retained: 2, unscored: 1 });
    // Reversed support tickets: the churned accounts' piles of tickets now look good.
    const reversed = { ...model, measures: [{ metricKey: 'open_support_tickets', weight: 1, good: 11, poor: 1 }] };
    expect((await evaluateModel(db.prisma, 'default', reversed, now)).auc).toBeLessThan(0.5);
  });

  it('previews a change: band changes, biggest movers, ROC AUC before and after, churned accounts left out', async () => {
    const heavierOrders = { ...model, measures: model.measures.map((m) => (m.metricKey === 'orders_30d' ? { ...m, weight: 60 } : m)) };
    const preview = await previewModelChange(db.prisma, 'default', heavierOrders, now);
    expect(preview.accounts).toBe(2);
    expect(preview.bandChanges).toBe(1);
    expect(preview.movers).toEqual([{ name: 'Slow Buyer Ltd', before: 84.4, after: 55.9, bandBefore: 'healthy', bandAfter: 'watch' }]);
    expect(preview.before).toEqual({ auc: 1, churned: 2, retained: 2, unscored: 1 });
    // Gone One (low usage, still ordering) now outscores Slow Buyer.
    expect(preview.after.auc).toBe(0.75);
  });

  it('previews an unchanged model as changing nothing', async () => {
    const preview = await previewModelChange(db.prisma, 'default', model, now);
    expect(preview).toMatchObject({ accounts: 2, bandChanges: 0, movers: [] });
    expect(preview.after).toEqual(preview.before);
  });
});
