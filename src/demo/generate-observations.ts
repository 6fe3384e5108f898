// A year of weekly metric history for one planned demo account. Values move
// between a segment's poor and good levels with the account's underlying health
// (its trajectory), plus seasonality and noise. The levels sit around the
// built-in models' thresholds, so healthy accounts score healthy and declining
// ones fall through the bands for the reasons a CSM would expect.
import { seededRandom } from './seeded-random.js';

export type Trajectory = 'stable' | 'declining' | 'growing' | 'churned' | 'noisy';
export type Segment = 'enterprise' | 'mid-market' | 'smb';

export interface DemoObservation {
  externalId: string;
  metricKey: string;
  value: number;
  observedAt: Date;
}

export interface AccountPlan {
  externalId: string;
  segment: Segment;
  trajectory: Trajectory;
  /** Week index (0 = oldest) the decline starts. */
  turnWeek: number;
  /** Week index of churn: the last week observed. */
  churnWeek: number | null;
  seed: number;
  /** Health while stable, 0..1. */
  base: number;
  /** Contracts renew on the anniversary of this date. */
  customerSince: Date;
  /** Only some CSMs record sentiment. */
  recordsSentiment: boolean;
  /** Declining accounts: the 2–3 measures whose collapse is the account's story (empty otherwise). */
  declines: readonly string[];
}

export const WEEKS = 52;
export const DAY_MS = 86_400_000;

/** [poor-ish level, good-ish level] per metric and segment (exported for tests). */
export const LEVELS: Readonly<Record<string, Record<Segment, [number, number]>>> = {
  orders_30d: { enterprise: [1, 15], 'mid-market': [3, 24], smb: [4, 34] },
  order_value_trend_90d: { enterprise: [-28, 12], 'mid-market': [-30, 12], smb: [-35, 14] },
  late_payments_90d: { enterprise: [4, 0], 'mid-market': [5, 0], smb: [4, 0] },
  logins_30d: { enterprise: [60, 700], 'mid-market': [25, 280], smb: [5, 95] },
  feature_adoption_pct: { enterprise: [15, 80], 'mid-market': [15, 75], smb: [10, 65] },
  open_support_tickets: { enterprise: [22, 2], 'mid-market': [13, 1], smb: [7, 0] },
  csat: { enterprise: [58, 94], 'mid-market': [55, 93], smb: [50, 92] },
  complaints_90d: { enterprise: [5, 0], 'mid-market': [6, 0], smb: [4, 0] },
  days_since_last_contact: { enterprise: [55, 5], 'mid-market': [70, 10], smb: [140, 20] },
  nps: { enterprise: [-25, 55], 'mid-market': [-30, 55], smb: [-40, 45] },
  csm_sentiment: { enterprise: [1, 5], 'mid-market': [1, 5], smb: [1, 5] },
};
const COUNT_METRICS = new Set(['orders_30d', 'late_payments_90d', 'logins_30d', 'open_support_tickets', 'complaints_90d', 'days_since_last_contact', 'csm_sentiment']);
/** Metrics measured less often than weekly: surveys, and sentiment when the CSM records it. */
const EVERY_N_WEEKS: Record<string, number> = { nps: 8, csat: 4, csm_sentiment: 4 };

const clamp = (x: number, min: number, max: number) => (x < min ? min : x > max ? max : x);

/**
 * The account's underlying health (0 poor … 1 good) in week w, for a metric in
 * its decline story (`story`) or not. A declining account collapses on its
 * story's measures and only erodes on the rest, so `score` names those
 * measures as the top reasons, as a CSM would tell it ("they stopped ordering").
 * Churned accounts erode on everything on the way out.
 */
function healthAt(plan: AccountPlan, w: number, noise: number, story: boolean): number {
  switch (plan.trajectory) {
    case 'stable':
      return clamp(plan.base + noise, 0, 1);
    case 'growing':
      return clamp(0.45 + (plan.base - 0.35) * (w / (WEEKS - 1)) + noise, 0, 1);
    case 'noisy':
      return clamp(0.55 + Math.sin(w / 3 + plan.seed) * 0.15 + noise * 2, 0, 1);
    case 'declining':
    case 'churned': {
      const end = plan.churnWeek ?? WEEKS - 1;
      if (w < plan.turnWeek) return clamp(plan.base + noise, 0, 1);
      const progress = (w - plan.turnWeek) / Math.max(1, end - plan.turnWeek);
      const floor = plan.trajectory === 'churned' ? 0.2 : story ? 0 : plan.base - ERODE_BY;
      return clamp(plan.base - (plan.base - floor) * progress + noise, 0, 1);
    }
  }
}

/** How far a declining account's measures outside its story slide. */
const ERODE_BY = 0.2;

function seasonality(metricKey: string, date: Date): number {
  if (metricKey !== 'orders_30d' && metricKey !== 'logins_30d') return 1;
  const month = date.getUTCMonth();
  if (month >= 9) return 1.12; // Q4 purchasing bump
  if (month === 6 || month === 7) return 0.88; // summer dip
  return 1;
}

/** The same day `years` later, in UTC; 29 February becomes 28 February. */
export function addUtcYears(date: Date, years: number): Date {
  const year = date.getUTCFullYear() + years;
  const lastDay = new Date(Date.UTC(year, date.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, date.getUTCMonth(), Math.min(date.getUTCDate(), lastDay)));
}

/** The first contract anniversary on or after the day of `at`. */
export function nextRenewal(customerSince: Date, at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  let years = Math.max(1, at.getUTCFullYear() - customerSince.getUTCFullYear() - 1);
  while (addUtcYears(customerSince, years).getTime() < day) years += 1;
  return addUtcYears(customerSince, years);
}

function valueFor(metricKey: string, plan: AccountPlan, health: number, observedAt: Date, random: () => number): number {
  const levels = LEVELS[metricKey];
  if (!levels) throw new Error(`no demo levels for ${metricKey}`);
  const [poor, good] = levels[plan.segment];
  const jitter = 1 + (random() - 0.5) * 0.1;
  const value = (poor + (good - poor) * health) * jitter * seasonality(metricKey, observedAt);
  if (metricKey === 'csm_sentiment') return clamp(Math.round(value), 1, 5);
  if (COUNT_METRICS.has(metricKey)) return Math.max(0, Math.round(value));
  if (metricKey === 'feature_adoption_pct' || metricKey === 'csat') return clamp(Math.round(value * 10) / 10, 0, 100);
  if (metricKey === 'nps') return clamp(Math.round(value), -100, 100);
  return Math.max(-100, Math.round(value * 10) / 10); // order_value_trend_90d: a change in %, never below −100
}

/** One account's observations, oldest first; none after churn. Same plan → same values. */
export function* generateAccountObservations(plan: AccountPlan, start: Date): Generator<DemoObservation> {
  const random = seededRandom(plan.seed);
  const lastWeek = plan.churnWeek ?? WEEKS - 1;
  for (let w = 0; w <= lastWeek; w += 1) {
    const observedAt = new Date(start.getTime() + w * 7 * DAY_MS);
    const noise = (random() - 0.5) * 0.12;
    for (const metricKey of Object.keys(LEVELS)) {
      const health = healthAt(plan, w, noise, plan.declines.includes(metricKey));
      const every = EVERY_N_WEEKS[metricKey] ?? 1;
      if ((w + (plan.seed % every)) % every !== 0 && w !== lastWeek) continue;
      // Draw before deciding to skip, so whether sentiment is recorded never shifts other values.
      const value = valueFor(metricKey, plan, health, observedAt, random);
      if (metricKey === 'csm_sentiment' && !plan.recordsSentiment) continue;
      yield { externalId: plan.externalId, metricKey, value, observedAt };
    }
    const renewal = nextRenewal(plan.customerSince, observedAt);
    yield { externalId: plan.externalId, metricKey: 'days_to_renewal', value: Math.max(0, Math.round((renewal.getTime() - observedAt.getTime()) / DAY_MS)), observedAt };
  }
}
