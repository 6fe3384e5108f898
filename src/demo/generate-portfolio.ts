// A realistic, deterministic B2B portfolio for `account-health demo` and the
// benchmarks: accounts across segments with a year of weekly metrics. Each
// account follows a trajectory (stable, declining, growing, churned, noisy) in
// fixed proportions; the same seed and as-of always give the same portfolio.
import type { AccountInput } from '../ingest/write-accounts.js';
import { generateCompanyNames } from './company-names.js';
import { addUtcYears, DAY_MS, generateAccountObservations, nextRenewal, WEEKS, type AccountPlan, type DemoObservation, type Segment, type Trajectory } from './generate-observations.js';
import { deriveSeed, pick, randomInt, seededRandom, shuffle, type Random } from './seeded-random.js';

export type { DemoObservation, Segment, Trajectory } from './generate-observations.js';
export { seededRandom } from './seeded-random.js';

export interface DemoPortfolio {
  accounts: AccountInput[];
  trajectories: Map<string, Trajectory>;
  /** Declining accounts → the measures they decline on (their top reasons once scored). */
  declines: Map<string, readonly string[]>;
  /** Streams observations (oldest first per account), so large portfolios never sit in memory at once. Each call starts over. */
  observations(): Generator<DemoObservation>;
}

export interface DemoCsm {
  slackUserId: string;
  name: string;
}

/** The demo's CSM team; ids have the shape of real Slack user ids. */
export const DEMO_CSMS: readonly DemoCsm[] = [
  { slackUserId: 'U0DEMOCSM01', name: 'Priya Raman' },
  { slackUserId: 'U0DEMOCSM02', name: 'Tom Becker' },
  { slackUserId: 'U0DEMOCSM03', name: 'Aisha Okafor' },
  { slackUserId: 'U0DEMOCSM04', name: 'Lucas Martin' },
  { slackUserId: 'U0DEMOCSM05', name: 'Mei Chen' },
  { slackUserId: 'U0DEMOCSM06', name: 'Sofia Rossi' },
];

/** ~60% stable, 15% declining, 10% growing, 8% churned, the rest noisy: exact counts, shuffled. */
const MIX: readonly [Trajectory, number][] = [
  ['stable', 0.6],
  ['declining', 0.15],
  ['growing', 0.1],
  ['churned', 0.08],
];

function trajectoryMix(count: number, random: Random): Trajectory[] {
  const out: Trajectory[] = [];
  for (const [trajectory, share] of MIX) out.push(...Array.from({ length: Math.round(count * share) }, () => trajectory));
  out.length = Math.min(out.length, count);
  while (out.length < count) out.push('noisy');
  return shuffle(random, out);
}

/**
 * Why a declining account declines: 2–3 measures that collapse together. Each
 * carries weight 8 or more in every seeded model, so when it collapses it costs
 * more points than any measure that merely erodes.
 */
export const DECLINE_STORIES: readonly (readonly string[])[] = [
  ['orders_30d', 'order_value_trend_90d'], // buying less
  ['logins_30d', 'feature_adoption_pct'], // disengaging from the product
  ['orders_30d', 'logins_30d', 'feature_adoption_pct'], // shrinking use all round
  ['nps', 'feature_adoption_pct', 'logins_30d'], // unhappy and drifting away
  ['order_value_trend_90d', 'orders_30d', 'nps'], // unhappy and buying less
];

/** Demo accounts' external ids start with this, so they are never mistaken for (or overwrite) real ones. */
export const DEMO_ID_PREFIX = 'DEMO-';

const ARR_BASE: Record<Segment, number> = { enterprise: 250_000, 'mid-market': 60_000, smb: 12_000 };
/** Shared Slack channels are usual for big accounts, rare for small ones. */
const CHANNEL_SHARE: Record<Segment, number> = { enterprise: 1, 'mid-market': 0.6, smb: 0.2 };

const utcDay = (time: number) => {
  const d = new Date(time);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
};

export function generatePortfolio(options: { seed: number; asOf: Date; accounts?: number }): DemoPortfolio {
  const count = options.accounts ?? 240;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`accounts must be a positive integer, got ${count}`);
  const rand = seededRandom(options.seed);
  const storyRandom = seededRandom(deriveSeed(options.seed, 3));
  // Anchored to the UTC day, so a second run the same day writes the same observations.
  const today = utcDay(options.asOf.getTime());
  const start = new Date(today.getTime() - (WEEKS - 1) * 7 * DAY_MS);
  const names = generateCompanyNames(options.seed, count);
  const mix = trajectoryMix(count, seededRandom(deriveSeed(options.seed, 2)));
  const digits = Math.max(5, String(count).length);
  const accounts: AccountInput[] = [];
  const plans: AccountPlan[] = [];
  const trajectories = new Map<string, Trajectory>();
  const declines = new Map<string, readonly string[]>();

  for (let i = 0; i < count; i += 1) {
    const segment: Segment = rand() < 0.2 ? 'enterprise' : rand() < 0.5 ? 'mid-market' : 'smb';
    const trajectory = mix[i] ?? 'stable';
    const identity = names[i] ?? { name: `Account ${i + 1}`, domain: `account${i + 1}.example.com` };
    const externalId = `${DEMO_ID_PREFIX}${String(i + 1).padStart(digits, '0')}`;
    // Churn happens at a renewal the customer does not sign, 2–20 weeks ago,
    // after a decline that began 2–4 months before it; the day after the last
    // observation, so nothing is observed on or after churned_on.
    const churnWeek = trajectory === 'churned' ? WEEKS - 1 - randomInt(rand, 2, 20) : null;
    const turnWeek = (churnWeek ?? WEEKS - 1) - randomInt(rand, 8, 16);
    const churnedOn = churnWeek === null ? null : utcDay(start.getTime() + (churnWeek * 7 + 1) * DAY_MS);
    const tenureYears = randomInt(rand, 1, 7);
    const customerSince =
      churnedOn === null
        ? utcDay(options.asOf.getTime() - (tenureYears * 365 + randomInt(rand, 30, 364)) * DAY_MS)
        : addUtcYears(churnedOn, -tenureYears);
    const hasChannel = rand() < CHANNEL_SHARE[segment];
    accounts.push({
      externalId,
      name: identity.name,
      domain: identity.domain,
      segment,
      slackChannelId: hasChannel ? `C0DEMO${String(i + 1).padStart(digits, '0')}` : null,
      ownerSlackUserId: DEMO_CSMS[i % DEMO_CSMS.length]?.slackUserId ?? null,
      arr: Math.round((ARR_BASE[segment] * (0.5 + rand() * 1.5)) / 100) * 100,
      renewalDate: churnedOn ?? nextRenewal(customerSince, options.asOf),
      customerSince,
      churnedOn,
    });
    const story = trajectory === 'declining' ? pick(storyRandom, DECLINE_STORIES) : [];
    plans.push({ externalId, segment, trajectory, turnWeek, churnWeek, seed: Math.floor(rand() * 1e9), base: 0.82 + rand() * 0.18, customerSince, recordsSentiment: rand() < 0.7, declines: story });
    trajectories.set(externalId, trajectory);
    if (story.length > 0) declines.set(externalId, story);
  }

  function* observations(): Generator<DemoObservation> {
    for (const plan of plans) yield* generateAccountObservations(plan, start);
  }

  return { accounts, trajectories, declines, observations };
}
