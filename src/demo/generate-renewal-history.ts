// Two years of renewals for the demo portfolio, so `model evaluate` and
// `model suggest` have outcomes to learn from — with the noise real renewals
// have: some healthy-looking accounts churn, some poor-looking ones renew.
//
// Every contract anniversary of the last two years is an outcome: renewed, or
// churned at the account's churned_on. Former customers (lost at a renewal in
// the last two years) are added, and for renewals older than the weekly
// history a few observations are written around the date the model judges
// them (renewal − 90 days), drawn from the account's health at the time.
import type { AccountInput } from '../ingest/write-accounts.js';
import { generateCompanyNames } from './company-names.js';
import { addUtcYears, DAY_MS, LEVELS, WEEKS, type DemoObservation, type Segment } from './generate-observations.js';
import { deriveSeed, pick, randomInt, seededRandom, type Random } from './seeded-random.js';

export interface DemoOutcome {
  externalId: string;
  renewalDate: Date;
  outcome: 'renewed' | 'churned';
  arr: number | null;
}

export interface RenewalHistory {
  /** Accounts lost in the last two years, beyond the portfolio's own churned accounts. */
  formerCustomers: AccountInput[];
  outcomes: DemoOutcome[];
  /** Inputs around the judged date of renewals older than the weekly history. */
  observations: DemoObservation[];
}

const YEARS_OF_RENEWALS = 2;
/** Former customers per portfolio account. */
const FORMER_SHARE = 0.5;
/** Burst observations this many days before the judged date (fresh for every measure's window). */
const BURST_DAYS = [40, 16, 2];
const JUDGED_LEAD_DAYS = 90;
const SEGMENTS: readonly Segment[] = ['enterprise', 'mid-market', 'smb'];

const utcDay = (time: number) => {
  const d = new Date(time);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
};
const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const between = (random: Random, low: number, high: number) => low + (high - low) * random();

/** Health at a renewal that renewed: mostly good, some poor-looking. */
const renewedHealth = (random: Random) => (random() < 0.2 ? between(random, 0.2, 0.5) : between(random, 0.55, 0.95));
/**
 * Health before a churn: mostly poor, some healthy-looking (budget cuts,
 * acquisitions, a champion leaving). The portfolio's own churned accounts add
 * more of those: their decline starts later than 90 days before they leave.
 */
const churnedHealth = (random: Random) => (random() < 0.2 ? between(random, 0.55, 0.85) : between(random, 0.1, 0.45));

export function generateRenewalHistory(options: { seed: number; asOf: Date; accounts: readonly AccountInput[] }): RenewalHistory {
  const random = seededRandom(deriveSeed(options.seed, 11));
  const today = utcDay(options.asOf.getTime());
  const windowStart = addUtcYears(today, -YEARS_OF_RENEWALS);
  // The weekly history starts here; a renewal judged before it needs its own inputs.
  const historyStart = new Date(today.getTime() - (WEEKS - 1) * 7 * DAY_MS);
  const formerCount = Math.max(1, Math.round(options.accounts.length * FORMER_SHARE));
  const names = generateCompanyNames(options.seed, options.accounts.length + formerCount).slice(options.accounts.length);
  const formerCustomers: AccountInput[] = names.map((identity, i) => {
    const churnedOn = utcDay(today.getTime() - randomInt(random, 100, 700) * DAY_MS);
    return {
      externalId: `DEMO-X${String(i + 1).padStart(5, '0')}`,
      name: identity.name,
      domain: identity.domain,
      segment: pick(random, SEGMENTS),
      arr: Math.round(between(random, 8_000, 200_000) / 100) * 100,
      renewalDate: churnedOn,
      customerSince: addUtcYears(churnedOn, -randomInt(random, 1, 5)),
      churnedOn,
    };
  });

  const outcomes: DemoOutcome[] = [];
  const observations: DemoObservation[] = [];
  for (const account of [...options.accounts, ...formerCustomers]) {
    if (!account.customerSince) continue;
    const segment = SEGMENTS.find((s) => s === account.segment) ?? 'smb';
    const churnedOn = account.churnedOn ?? null;
    for (let years = 1; ; years += 1) {
      const renewal = addUtcYears(account.customerSince, years);
      if (renewal.getTime() > today.getTime() || (churnedOn && renewal.getTime() > churnedOn.getTime())) break;
      if (renewal.getTime() <= windowStart.getTime()) continue;
      const churned = churnedOn !== null && renewal.getTime() === churnedOn.getTime();
      outcomes.push({ externalId: account.externalId, renewalDate: renewal, outcome: churned ? 'churned' : 'renewed', arr: account.arr ?? null });
      const judged = renewal.getTime() - JUDGED_LEAD_DAYS * DAY_MS;
      // Only where the weekly history cannot serve, and never inside it: every burst point is before it starts.
      if (judged - Math.min(...BURST_DAYS) * DAY_MS >= historyStart.getTime()) continue;
      const health = churned ? churnedHealth(random) : renewedHealth(random);
      for (const daysBefore of BURST_DAYS) {
        const observedAt = new Date(judged - daysBefore * DAY_MS);
        for (const [metricKey, levels] of Object.entries(LEVELS)) {
          const [poor, good] = levels[segment];
          const h = clamp01(health + (random() - 0.5) * 0.2);
          observations.push({ externalId: account.externalId, metricKey, value: roundFor(metricKey, poor + (good - poor) * h), observedAt });
        }
      }
    }
  }
  return { formerCustomers, outcomes, observations };
}

/** Values as the metric stores them: whole counts, bounded percentages and scores. */
function roundFor(metricKey: string, value: number): number {
  if (metricKey === 'csm_sentiment') return Math.min(5, Math.max(1, Math.round(value)));
  if (metricKey === 'nps') return Math.min(100, Math.max(-100, Math.round(value)));
  if (metricKey === 'feature_adoption_pct' || metricKey === 'csat') return Math.min(100, Math.max(0, Math.round(value * 10) / 10));
  if (metricKey === 'order_value_trend_90d') return Math.max(-100, Math.round(value * 10) / 10);
  return Math.max(0, Math.round(value));
}
