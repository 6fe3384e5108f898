// A realistic, deterministic B2B portfolio for `account-health demo` and the
// benchmarks: accounts across segments with a year of weekly metrics. Each
// account follows a trajectory (stable, declining, growing, churned, noisy);
// metric values move between a segment's poor and good levels with the
// account's health, seasonality (Q4 orders bump, summer dip) and noise.
import type { AccountInput } from '../ingest/write-accounts.js';

export type Trajectory = 'stable' | 'declining' | 'growing' | 'churned' | 'noisy';
export type Segment = 'enterprise' | 'mid-market' | 'smb';

export interface DemoObservation {
  externalId: string;
  metricKey: string;
  value: number;
  observedAt: Date;
}

export interface DemoPortfolio {
  accounts: AccountInput[];
  trajectories: Map<string, Trajectory>;
  /** Streams observations so large portfolios never sit in memory at once. */
  observations(): Generator<DemoObservation>;
}

const DAY_MS = 86_400_000;
const WEEKS = 52;

/** mulberry32: small, fast, good enough for demo data, and identical everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PREFIXES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Aperture', 'Massive', 'Nimbus', 'Pioneer', 'Summit', 'Harbor', 'Quantum', 'Evergreen', 'Bluebird', 'Ironclad', 'Northwind', 'Redwood', 'Silverline', 'Sterling', 'Vertex', 'Zenith', 'Atlas', 'Beacon'];
const SUFFIXES = ['Logistics', 'Foods', 'Manufacturing', 'Retail', 'Health', 'Labs', 'Systems', 'Supply', 'Partners', 'Industries', 'Analytics', 'Motors', 'Textiles', 'Pharma', 'Energy'];
const CSMS = ['U0CSM00001', 'U0CSM00002', 'U0CSM00003', 'U0CSM00004', 'U0CSM00005', 'U0CSM00006'];

/** [poor-ish level, good-ish level] per metric and segment; values are integers where counts. */
const LEVELS: Record<string, Record<Segment, [number, number]>> = {
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
/** Metrics measured less often than weekly: surveys monthly, sentiment when the CSM records it. */
const EVERY_N_WEEKS: Record<string, number> = { nps: 8, csat: 4, csm_sentiment: 4 };

interface Plan {
  externalId: string;
  segment: Segment;
  trajectory: Trajectory;
  /** Week index (0 = oldest) the decline starts / the account churns. */
  turnWeek: number;
  churnWeek: number | null;
  seed: number;
  base: number;
}

function pickTrajectory(r: number): Trajectory {
  if (r < 0.6) return 'stable';
  if (r < 0.75) return 'declining';
  if (r < 0.85) return 'growing';
  if (r < 0.93) return 'churned';
  return 'noisy';
}

/** The account's underlying health (0 poor … 1 good) in week w. */
function healthAt(plan: Plan, w: number, rand: () => number): number {
  const noise = (rand() - 0.5) * 0.12;
  switch (plan.trajectory) {
    case 'stable':
      return clamp01(plan.base + noise);
    case 'growing':
      return clamp01(0.45 + (plan.base - 0.35) * (w / (WEEKS - 1)) + noise);
    case 'noisy':
      return clamp01(0.55 + Math.sin(w / 3 + plan.seed) * 0.15 + noise * 2);
    case 'declining':
    case 'churned': {
      const end = plan.churnWeek ?? WEEKS - 1;
      if (w < plan.turnWeek) return clamp01(plan.base + noise);
      const progress = (w - plan.turnWeek) / Math.max(1, end - plan.turnWeek);
      return clamp01(plan.base - (plan.base - 0.2) * progress + noise);
    }
  }
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

function seasonality(metricKey: string, date: Date): number {
  if (metricKey !== 'orders_30d' && metricKey !== 'logins_30d') return 1;
  const month = date.getUTCMonth();
  if (month >= 9 && month <= 11) return 1.12; // Q4 purchasing bump
  if (month === 6 || month === 7) return 0.88; // summer dip
  return 1;
}

export function generatePortfolio(options: { seed: number; asOf: Date; accounts?: number }): DemoPortfolio {
  const count = options.accounts ?? 240;
  const rand = seededRandom(options.seed);
  const start = new Date(options.asOf.getTime() - (WEEKS - 1) * 7 * DAY_MS);
  const usedNames = new Set<string>();
  const accounts: AccountInput[] = [];
  const plans: Plan[] = [];
  const trajectories = new Map<string, Trajectory>();

  for (let i = 0; i < count; i += 1) {
    const segment: Segment = rand() < 0.2 ? 'enterprise' : rand() < 0.5 ? 'mid-market' : 'smb';
    let name = `${PREFIXES[Math.floor(rand() * PREFIXES.length)]} ${SUFFIXES[Math.floor(rand() * SUFFIXES.length)]}`;
    if (usedNames.has(name)) name = `${name} ${i + 1}`;
    usedNames.add(name);
    const externalId = `ACC-${String(i + 1).padStart(5, '0')}`;
    const trajectory = pickTrajectory(rand());
    const turnWeek = WEEKS - 1 - (8 + Math.floor(rand() * 9));
    const churnWeek = trajectory === 'churned' ? WEEKS - 1 - (2 + Math.floor(rand() * 14)) : null;
    const arrBase = segment === 'enterprise' ? 250_000 : segment === 'mid-market' ? 60_000 : 12_000;
    const renewal = new Date(options.asOf.getTime() + Math.floor(rand() * 365 - 20) * DAY_MS);
    const since = new Date(start.getTime() - Math.floor(rand() * 5 * 365) * DAY_MS);
    accounts.push({
      externalId,
      name,
      domain: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`,
      segment,
      slackChannelId: `C0DEMO${String(i + 1).padStart(5, '0')}`,
      ownerSlackUserId: CSMS[i % CSMS.length] ?? null,
      arr: Math.round(arrBase * (0.5 + rand() * 1.5)),
      renewalDate: utcDate(renewal),
      customerSince: utcDate(since),
      churnedOn: churnWeek === null ? null : utcDate(new Date(start.getTime() + churnWeek * 7 * DAY_MS)),
    });
    // Churn follows a long slide: the decline starts 3–5 months before the account leaves.
    const slideStart = churnWeek === null ? turnWeek : Math.max(0, churnWeek - 13 - Math.floor(rand() * 9));
    plans.push({ externalId, segment, trajectory, turnWeek: slideStart, churnWeek, seed: Math.floor(rand() * 1e9), base: 0.82 + rand() * 0.18 });
    trajectories.set(externalId, trajectory);
  }

  function* observations(): Generator<DemoObservation> {
    for (const plan of plans) {
      const prng = seededRandom(plan.seed);
      const lastWeek = plan.churnWeek ?? WEEKS - 1;
      for (let w = 0; w <= lastWeek; w += 1) {
        const observedAt = new Date(start.getTime() + w * 7 * DAY_MS);
        const health = healthAt(plan, w, prng);
        for (const [metricKey, bySegment] of Object.entries(LEVELS)) {
          const every = EVERY_N_WEEKS[metricKey] ?? 1;
          if ((w + (plan.seed % every)) % every !== 0 && w !== lastWeek) continue;
          const [poor, good] = bySegment[plan.segment];
          const jitter = 1 + (prng() - 0.5) * 0.1;
          let value = (poor + (good - poor) * health) * jitter * seasonality(metricKey, observedAt);
          if (COUNT_METRICS.has(metricKey)) value = Math.max(0, Math.round(value));
          if (metricKey === 'csm_sentiment') value = Math.min(5, Math.max(1, value));
          if (metricKey === 'feature_adoption_pct' || metricKey === 'csat') value = Math.min(100, Math.max(0, Math.round(value * 10) / 10));
          if (metricKey === 'nps') value = Math.min(100, Math.max(-100, Math.round(value)));
          if (metricKey === 'order_value_trend_90d') value = Math.round(value * 10) / 10;
          yield { externalId: plan.externalId, metricKey, value, observedAt };
        }
      }
    }
  }

  return { accounts, trajectories, observations };
}

function utcDate(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
