// The demo promise: after loading it, a declining account shows a low score
// whose top reasons are the measures that declined.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { loadDemo, type DemoResult } from '../../../src/demo/load-demo.js';
import { createLogger } from '../../../src/logger.js';
import { buildHealthReport } from '../../../src/reports/build-health-report.js';
import { listPortfolio } from '../../../src/reports/list-portfolio.js';
import { renderHealthText } from '../../../src/reports/render-health-text.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const now = new Date('2026-11-22T09:00:00Z');
const DECLINING_MEASURES = new Set(['orders_30d', 'order_value_trend_90d', 'logins_30d', 'feature_adoption_pct', 'open_support_tickets', 'complaints_90d', 'nps', 'csat', 'late_payments_90d', 'days_since_last_contact', 'csm_sentiment']);

describe.each(DATABASE_KINDS)('demo portfolio (%s)', (kind) => {
  let db: Database;
  let result: DemoResult;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    result = await loadDemo({ db, clock: () => now, logger: createLogger({ level: 'error' }) }, { seed: 42, accounts: 80 });
  }, 120_000);
  afterAll(async () => {
    await db.close();
  });

  it('loads accounts, a year of history, backfilled trends and a current score for every active account', async () => {
    expect(result.accounts).toBe(80);
    expect(result.observations).toBeGreaterThan(80 * 40 * 8);
    const churned = [...result.trajectories.values()].filter((t) => t === 'churned').length;
    expect(result.current.accountsScored).toBe(80 - churned);
    expect(await db.prisma.scoreSnapshot.count({ where: { run: { trigger: 'backfill' } } })).toBeGreaterThan(80 * 10);
  });

  it('shows a declining account with a low score, a falling trend, and the declined measures as top reasons', async () => {
    const atRisk = await listPortfolio(db.prisma, { atRiskOnly: true, limit: 100 });
    const declining = atRisk.entries.filter((e) => result.trajectories.get(e.externalId) === 'declining');
    expect(declining.length).toBeGreaterThan(0);
    const entry = declining[0];
    if (!entry) throw new Error('no declining account at risk');
    const report = await buildHealthReport(db.prisma, entry.accountId, now);
    expect(report.snapshot?.score).toBeLessThan(55);
    expect(report.trend?.change30d).toBeLessThan(0);
    const top = report.components.slice(0, 3);
    for (const c of top) {
      expect(DECLINING_MEASURES.has(c.metricKey)).toBe(true);
      expect(c.pointsLost).toBeGreaterThan(3);
    }
    const text = renderHealthText(report);
    expect(text).toContain(`${Math.round(report.snapshot?.score ?? -1)}/100`);
    expect(text).toContain(top[0]?.label ?? '???');
    expect(report.actions.length).toBeGreaterThan(0);
  });
});
