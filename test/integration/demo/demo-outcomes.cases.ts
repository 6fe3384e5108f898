// The demo tells the truth about separation: two years of renewals, judged
// 90 days before each (churned and renewed alike), give a believable ROC AUC
// — clearly better than a coin flip, clearly short of perfect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { loadDemo } from '../../../src/demo/load-demo.js';
import { createLogger } from '../../../src/logger.js';
import { evaluateModel } from '../../../src/tuning/evaluate-model.js';
import { createTestDatabase, type DatabaseKind } from '../../support/databases.js';

const now = new Date('2026-11-22T09:00:00Z');

/** The cases on one database; one test file per database kind, so the two run side by side on two workers. */
export function describeOn(kind: DatabaseKind): void {
  describe(`demo renewal outcomes (${kind})`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await createTestDatabase(kind);
      await loadDemo({ db, clock: () => now, logger: createLogger({ level: 'error' }) }, { seed: 42 });
    }, 240_000);
    afterAll(async () => {
      await db.close();
    });

    it('gives every segment model an outcome-based AUC between 0.6 and 0.9', async () => {
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
      expect(churned.every((o) => o.account.churnedOn?.getTime() === o.renewalDate.getTime())).toBe(true);
      expect(outcomes.every((o) => o.renewalDate.getTime() <= now.getTime())).toBe(true);
    });
  });
}
