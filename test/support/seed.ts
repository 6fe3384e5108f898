// Small, hand-made portfolios for integration and end-to-end tests.
import type { Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { ensureCatalogueAndModels } from '../../src/models/model-store.js';
import { recomputeScores } from '../../src/scoring-run/recompute.js';

const DAY = 86_400_000;

export interface SeedAccount {
  externalId: string;
  name: string;
  domain?: string;
  segment?: string;
  owner?: string;
  channel?: string;
  renewalInDays?: number;
  /** metric → value, observed one day before `now`. */
  metrics: Record<string, number>;
}

/** The default model's good values: a healthy account. */
export const HEALTHY: Record<string, number> = {
  orders_30d: 22, order_value_trend_90d: 12, late_payments_90d: 0, logins_30d: 220, feature_adoption_pct: 75,
  open_support_tickets: 1, nps: 55, csat: 92, complaints_90d: 0, days_since_last_contact: 7,
};
/** Orders, logins and adoption collapsed, tickets piling up. */
export const DECLINING: Record<string, number> = { ...HEALTHY, orders_30d: 3, logins_30d: 25, feature_adoption_pct: 15, open_support_tickets: 11 };

export async function seedAccounts(db: Database, now: Date, accounts: SeedAccount[]): Promise<Map<string, number>> {
  await ensureCatalogueAndModels(db.prisma);
  const ids = new Map<string, number>();
  for (const a of accounts) {
    const row = await db.prisma.account.create({
      data: {
        externalId: a.externalId,
        name: a.name,
        nameKey: a.name.toLowerCase(),
        domain: a.domain ?? null,
        segment: a.segment ?? null,
        ownerSlackUserId: a.owner ?? null,
        slackChannelId: a.channel ?? null,
        renewalDate: a.renewalInDays === undefined ? null : new Date(now.getTime() + a.renewalInDays * DAY),
      },
    });
    ids.set(a.externalId, row.id);
    await setMetrics(db, row.id, a.metrics, new Date(now.getTime() - DAY));
  }
  return ids;
}

export async function setMetrics(db: Database, accountId: number, metrics: Record<string, number>, at: Date): Promise<void> {
  await db.prisma.metricObservation.createMany({
    data: Object.entries(metrics).map(([metricKey, value]) => ({ accountId, metricKey, value, observedAt: at, source: 'test' })),
  });
}

export async function recomputeAt(db: Database, now: Date) {
  return recomputeScores({ db, clock: () => now, logger: createLogger({ level: 'error' }) }, { trigger: 'cli', asOf: now });
}
