// A portfolio with renewal history for the outcome tests: each account has a
// latent health; its inputs, stored a few days before the anchor (renewal −
// 90 days), follow that health on some measures (logins, adoption, NPS) and
// are noise on the others; whether it churned at the renewal follows the
// health through a logistic, so weights learned from it favour the real signals.
import type { Database } from '../../src/db/database.js';
import { seededRandom } from '../../src/demo/seeded-random.js';
import { ensureCatalogueAndModels } from '../../src/models/model-store.js';

const DAY = 86_400_000;

export interface OutcomePortfolio {
  accounts: number;
  churned: number;
  renewed: number;
}

export async function seedOutcomePortfolio(db: Database, now: Date, options: { accounts: number; seed?: number; prefix?: string }): Promise<OutcomePortfolio> {
  await ensureCatalogueAndModels(db.prisma);
  const random = seededRandom(options.seed ?? 1);
  const prefix = options.prefix ?? 'OUT';
  let churned = 0;
  const observations: { accountId: number; metricKey: string; value: number; observedAt: Date; source: string }[] = [];
  const outcomes: { accountId: number; renewalDate: Date; outcome: string; source: string }[] = [];
  for (let i = 0; i < options.accounts; i += 1) {
    const health = random();
    const renewal = new Date(Math.floor((now.getTime() - (10 + Math.floor(random() * 600)) * DAY) / DAY) * DAY);
    const lost = random() < 1 / (1 + Math.exp(-(2.2 - 6 * health)));
    const account = await db.prisma.account.create({
      data: {
        externalId: `${prefix}-${String(i + 1).padStart(3, '0')}`,
        name: `${prefix} Account ${i + 1}`,
        nameKey: `${prefix.toLowerCase()} account ${i + 1}`,
        // Renewed accounts' renewal dates moved on a year; churned ones' did not: the leak days_to_renewal must not exploit.
        renewalDate: lost ? renewal : new Date(renewal.getTime() + 365 * DAY),
      },
    });
    const at = new Date(renewal.getTime() - 93 * DAY);
    const noise = () => random();
    const values: Record<string, number> = {
      logins_30d: Math.round(30 + 170 * health + 40 * (noise() - 0.5)),
      feature_adoption_pct: Math.min(100, Math.max(0, Math.round(20 + 50 * health + 20 * (noise() - 0.5)))),
      nps: Math.round(-20 + 70 * health + 30 * (noise() - 0.5)),
      orders_30d: Math.round(4 + 16 * noise()),
      order_value_trend_90d: Math.round(-20 + 30 * noise()),
      late_payments_90d: Math.floor(4 * noise()),
      open_support_tickets: Math.floor(10 * noise()),
      csat: Math.round(60 + 30 * noise()),
      complaints_90d: Math.floor(5 * noise()),
      days_since_last_contact: Math.round(14 + 46 * noise()),
    };
    for (const [metricKey, value] of Object.entries(values)) observations.push({ accountId: account.id, metricKey, value, observedAt: at, source: 'test' });
    if (lost) churned += 1;
    outcomes.push({ accountId: account.id, renewalDate: renewal, outcome: lost ? 'churned' : 'renewed', source: 'test' });
  }
  await db.prisma.metricObservation.createMany({ data: observations });
  await db.prisma.renewalOutcome.createMany({ data: outcomes });
  return { accounts: options.accounts, churned, renewed: options.accounts - churned };
}
