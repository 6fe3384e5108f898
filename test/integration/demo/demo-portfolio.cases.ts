// The demo promise: after loading it, a declining account shows a low score
// whose top reasons are exactly the measures it declined on; two years of
// renewals, judged 90 days before each, give a believable ROC AUC (clearly
// better than a coin flip, clearly short of perfect); loading it again
// replaces the demo's history rather than doubling it; real accounts are never
// touched. Each database loads the demo once for the content checks: the full
// demo (as `npm run demo` loads it) on PostgreSQL, 80 accounts on PGlite, where
// a load takes about three times as long; the AUC check needs the full
// portfolio's renewals and runs where it is loaded. The cases about loading
// again use a small demo of their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { DemoRefusedError, loadDemo, type DemoResult } from '../../../src/demo/load-demo.js';
import { createLogger } from '../../../src/logger.js';
import { evaluateModel } from '../../../src/tuning/evaluate-model.js';
import { buildHealthReport } from '../../../src/reports/build-health-report.js';
import { listPortfolio } from '../../../src/reports/list-portfolio.js';
import { renderHealthText } from '../../../src/reports/render-health-text.js';
import { createTestDatabase, type DatabaseKind } from '../../support/databases.js';

const now = new Date('2026-11-22T09:00:00Z');
const DAY = 86_400_000;
const logger = createLogger({ level: 'error' });

const DEMO_ACCOUNTS: Record<DatabaseKind, number> = { postgres: 240, pglite: 80 };
const FULL_DEMO = 240;

/** The cases on one database; one test file per database kind, so the two run side by side on two workers. */
export function describeOn(kind: DatabaseKind): void {
  const accounts = DEMO_ACCOUNTS[kind];
  describe(`demo portfolio (${kind})`, () => {
    let db: Database;
    let result: DemoResult;
    beforeAll(async () => {
      db = await createTestDatabase(kind);
      result = await loadDemo({ db, clock: () => now, logger }, { seed: 42, ...(accounts === FULL_DEMO ? {} : { accounts }) });
    }, 400_000);
    afterAll(async () => {
      await db.close();
    });

    it('loads accounts, a year of history, backfilled trends and a current score for every active account', async () => {
      expect(result.accounts).toBe(accounts);
      // Most measures arrive as events and are derived; sentiment and the renewal countdown stay observations.
      expect(result.events).toBeGreaterThan(accounts * 500);
      expect(result.observations).toBeGreaterThan(accounts * 40);
      expect(await db.prisma.metricObservation.count({ where: { source: 'events' } })).toBeGreaterThan(accounts * 8);
      const churned = [...result.trajectories.values()].filter((t) => t === 'churned').length;
      expect(result.current.accountsScored).toBe(accounts - churned);
      expect(await db.prisma.scoreSnapshot.count({ where: { run: { trigger: 'backfill' } } })).toBeGreaterThan(accounts * 10);
      expect(await db.prisma.account.count({ where: { NOT: { externalId: { startsWith: 'DEMO-' } } } })).toBe(0);
    });

    it('shows each declining account with a low, falling score whose top reasons are exactly the measures it declined on', async () => {
      const declining = [...result.declines];
      expect(declining.length).toBeGreaterThanOrEqual(10);
      let atRisk = 0;
      for (const [externalId, story] of declining) {
        expect(story.length === 2 || story.length === 3).toBe(true);
        const account = await db.prisma.account.findUniqueOrThrow({ where: { externalId } });
        const report = await buildHealthReport(db.prisma, account.id, now);
        const score = report.snapshot?.score ?? 100;
        expect(score).toBeLessThan(70);
        if (score < 55) atRisk += 1;
        expect(report.trend?.change30d).toBeLessThan(0);
        // What `account-health score DEMO-…` prints: its first reasons are the story's measures, and only those.
        const text = renderHealthText(report);
        const reasons = text.split('\n').filter((line) => / pts {2}/.test(line)).map((line) => line.replace(/^.* pts {2}(.*?): .*$/, '$1'));
        const labels = new Map(report.components.map((c) => [c.metricKey, c.label]));
        expect(new Set(reasons.slice(0, story.length))).toEqual(new Set(story.map((k) => labels.get(k))));
        for (const c of report.components.slice(0, story.length)) expect(c.pointsLost).toBeGreaterThan(5);
        expect(report.components[story.length]?.pointsLost ?? 0).toBeLessThan(Math.min(...report.components.slice(0, story.length).map((c) => c.pointsLost)));
        expect(text).toContain(`${Math.floor(score)}/100`);
        expect(report.actions.length).toBeGreaterThan(0);
      }
      expect(atRisk).toBeGreaterThan(declining.length / 3);
      const listed = await listPortfolio(db.prisma, { atRiskOnly: true, limit: 200 });
      expect(listed.entries.some((e) => result.declines.has(e.externalId))).toBe(true);
    });

    it.runIf(accounts === FULL_DEMO)('gives every segment model an outcome-based AUC between 0.6 and 0.9', async () => {
      const byModel: Record<string, number | null> = {};
      for (const key of ['enterprise', 'mid-market', 'smb']) {
        const e = await evaluateModel(db.prisma, key, null, now);
        expect(e.basis).toBe('outcomes');
        expect(e.churned).toBeGreaterThanOrEqual(20);
        expect(e.retained).toBeGreaterThanOrEqual(90);
        byModel[key] = e.auc;
      }
      for (const auc of Object.values(byModel)) {
        expect(auc).toBeGreaterThan(0.6);
        expect(auc).toBeLessThan(0.9);
      }
    });

    it('keeps churned_on and the recorded churn as one outcome, and nothing after today', async () => {
      const outcomes = await db.prisma.renewalOutcome.findMany({ include: { account: { select: { churnedOn: true } } } });
      const churned = outcomes.filter((o) => o.outcome === 'churned');
      expect(churned.length).toBeGreaterThan(0);
      expect(churned.every((o) => o.account.churnedOn?.getTime() === o.renewalDate.getTime())).toBe(true);
      expect(outcomes.every((o) => o.renewalDate.getTime() <= now.getTime())).toBe(true);
    });

    describe('loaded again, or next to real accounts (a small demo of its own)', () => {
      const small = { seed: 42, accounts: 12 };
      let own: Database;
      beforeAll(async () => {
        own = await createTestDatabase(kind);
        await loadDemo({ db: own, clock: () => now, logger }, small);
      }, 400_000);
      afterAll(async () => {
        await own.close();
      });

      it('replaces its history when run again, the same day or the next, instead of adding to it', async () => {
        const counts = async () => ({
          accounts: await own.prisma.account.count(),
          observations: await own.prisma.metricObservation.count(),
          events: await own.prisma.event.count(),
          snapshots: await own.prisma.scoreSnapshot.count(),
          outcomes: await own.prisma.renewalOutcome.count(),
        });
        const first = await counts();
        expect(first.accounts).toBeGreaterThanOrEqual(12);
        await loadDemo({ db: own, clock: () => new Date(now.getTime() + 3_600_000), logger }, small);
        expect(await counts()).toEqual(first);
        await loadDemo({ db: own, clock: () => new Date(now.getTime() + DAY), logger }, small);
        expect(await counts()).toEqual(first);
        // The weekly year (older renewals' inputs, from the renewal history, lie before it).
        const historyStart = new Date(now.getTime() + DAY - 51 * 7 * DAY - DAY);
        const perSeries = await own.prisma.metricObservation.groupBy({ by: ['accountId', 'metricKey'], where: { observedAt: { gte: historyStart } }, _count: { _all: true } });
        expect(Math.max(...perSeries.map((g) => g._count._all))).toBe(52);
      }, 900_000);

      it('refuses a database that holds real accounts and leaves them untouched', async () => {
        await own.prisma.account.create({ data: { externalId: 'A-1', name: 'Acme Real', nameKey: 'acme real', arr: 50_000 } });
        const before = await own.prisma.metricObservation.count();
        const attempt = loadDemo({ db: own, clock: () => now, logger }, small);
        await expect(attempt).rejects.toBeInstanceOf(DemoRefusedError);
        await expect(attempt).rejects.toThrow(/holds 1 account\(s\) that are not demo accounts \(e\.g\. A-1\).*DATA_DIR=/);
        expect(await own.prisma.metricObservation.count()).toBe(before);
        expect(await own.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } })).toMatchObject({ name: 'Acme Real', arr: 50_000 });
      });
    });
  });
}
