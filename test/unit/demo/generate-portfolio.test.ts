import { describe, expect, it } from 'vitest';
import { DECLINE_STORIES, DEMO_CSMS, generatePortfolio, type DemoObservation, type DemoPortfolio } from '../../../src/demo/generate-portfolio.js';
import { LEVELS } from '../../../src/demo/generate-observations.js';
import { accountRowSchema } from '../../../src/ingest/row-schemas.js';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';

const DAY = 86_400_000;
const asOf = new Date('2026-11-22T09:00:00Z');
/** Observations fall on UTC midnights, so a second run the same day writes the same ones. */
const today = new Date('2026-11-22T00:00:00Z');
const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** observations by account, then metric, oldest first */
function byAccount(p: DemoPortfolio): Map<string, Map<string, DemoObservation[]>> {
  const out = new Map<string, Map<string, DemoObservation[]>>();
  for (const o of p.observations()) {
    let metrics = out.get(o.externalId);
    if (!metrics) out.set(o.externalId, (metrics = new Map()));
    let list = metrics.get(o.metricKey);
    if (!list) metrics.set(o.metricKey, (list = []));
    list.push(o);
  }
  return out;
}

function series(history: Map<string, Map<string, DemoObservation[]>>, id: string, key: string): DemoObservation[] {
  const list = history.get(id)?.get(key);
  if (!list || list.length === 0) throw new Error(`no ${key} for ${id}`);
  return list;
}

const p42 = generatePortfolio({ seed: 42, asOf });
const history42 = byAccount(p42);

describe('generatePortfolio: determinism', () => {
  it('gives identical accounts and observations for the same seed, and different ones for another seed', () => {
    const a = generatePortfolio({ seed: 7, asOf, accounts: 30 });
    const b = generatePortfolio({ seed: 7, asOf, accounts: 30 });
    const c = generatePortfolio({ seed: 8, asOf, accounts: 30 });
    expect(b.accounts).toEqual(a.accounts);
    expect([...b.trajectories]).toEqual([...a.trajectories]);
    expect([...b.observations()]).toEqual([...a.observations()]);
    expect(c.accounts.map((x) => x.name)).not.toEqual(a.accounts.map((x) => x.name));
    expect([...c.observations()].slice(0, 50)).not.toEqual([...a.observations()].slice(0, 50));
  });

  it('starts the observation stream over on every call', () => {
    const p = generatePortfolio({ seed: 3, asOf, accounts: 5 });
    expect([...p.observations()]).toEqual([...p.observations()]);
  });
});

describe('generatePortfolio: accounts', () => {
  it('makes 240 accounts by default with the trajectory mix in exact proportions', () => {
    expect(p42.accounts).toHaveLength(240);
    const counts: Record<string, number> = {};
    for (const t of p42.trajectories.values()) counts[t] = (counts[t] ?? 0) + 1;
    expect(counts).toEqual({ stable: 144, declining: 36, growing: 24, churned: 19, noisy: 17 });
  });

  it('spreads accounts over the three segments with ARR to match', () => {
    const arr = (segment: string) => p42.accounts.filter((a) => a.segment === segment).map((a) => a.arr ?? -1);
    for (const [segment, min, max, share] of [['enterprise', 125_000, 500_000, 0.1], ['mid-market', 30_000, 120_000, 0.25], ['smb', 6_000, 24_000, 0.25]] as const) {
      const values = arr(segment);
      expect(values.length).toBeGreaterThan(240 * share);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(min);
      expect(Math.max(...values)).toBeLessThanOrEqual(max);
    }
  });

  it('gives every account a unique id, name and domain that no other account can be mistaken for', () => {
    const keys = p42.accounts.flatMap((a) => [a.externalId, a.name.toLowerCase(), a.domain ?? '']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(p42.accounts.every((a) => /^[A-Z][a-z]+ [A-Z][a-z]+( [A-Z][A-Za-z]+)?$/.test(a.name))).toBe(true);
    expect(p42.accounts.every((a) => a.domain?.endsWith('.example.com'))).toBe(true);
  });

  it('produces accounts the import accepts unchanged, field by field', () => {
    for (const a of p42.accounts) {
      const csvRow = {
        external_id: a.externalId,
        name: a.name,
        domain: a.domain ?? '',
        segment: a.segment ?? '',
        slack_channel_id: a.slackChannelId ?? '',
        owner_slack_user_id: a.ownerSlackUserId ?? '',
        arr: String(a.arr ?? ''),
        renewal_date: isoDay(a.renewalDate),
        customer_since: isoDay(a.customerSince),
        churned_on: isoDay(a.churnedOn),
      };
      const parsed = accountRowSchema.safeParse(csvRow);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(parsed.data).toEqual(a);
    }
  });

  it('has Slack channels for enterprise accounts and only some smaller ones, and owners from a pool of six CSMs', () => {
    expect(DEMO_CSMS).toHaveLength(6);
    expect(DEMO_CSMS.every((c) => /^U[A-Z0-9]{10}$/.test(c.slackUserId))).toBe(true);
    const owners = new Set(p42.accounts.map((a) => a.ownerSlackUserId));
    expect(owners).toEqual(new Set(DEMO_CSMS.map((c) => c.slackUserId)));
    expect(p42.accounts.filter((a) => a.segment === 'enterprise').every((a) => a.slackChannelId)).toBe(true);
    const channels = p42.accounts.flatMap((a) => (a.slackChannelId ? [a.slackChannelId] : []));
    expect(channels.every((c) => /^C[A-Z0-9]{10}$/.test(c))).toBe(true);
    expect(channels.length).toBeGreaterThan(60);
    expect(channels.length).toBeLessThan(200);
  });

  it('dates contracts consistently: renewals on the anniversary, churn at a past renewal', () => {
    for (const a of p42.accounts) {
      const since = a.customerSince;
      const renewal = a.renewalDate;
      if (!since || !renewal) throw new Error(`${a.externalId} lacks contract dates`);
      expect(isoDay(renewal).slice(5)).toBe(isoDay(since).slice(5)); // none of the demo starts on 29 February
      expect(since.getTime()).toBeLessThan(asOf.getTime() - 365 * DAY);
      if (p42.trajectories.get(a.externalId) === 'churned') {
        expect(a.churnedOn).toEqual(renewal);
        expect(renewal.getTime()).toBeLessThan(asOf.getTime() - 7 * DAY);
        expect(renewal.getTime()).toBeGreaterThan(asOf.getTime() - 23 * 7 * DAY);
      } else {
        expect(a.churnedOn).toBeNull();
        expect(renewal.getTime()).toBeGreaterThanOrEqual(asOf.getTime() - DAY);
        expect(renewal.getTime()).toBeLessThanOrEqual(asOf.getTime() + 366 * DAY);
      }
    }
  });

  it('scales to 10,000 accounts, streaming their observations', () => {
    const big = generatePortfolio({ seed: 1, asOf, accounts: 10_000 });
    expect(new Set(big.accounts.map((a) => a.name.toLowerCase())).size).toBe(10_000);
    expect(new Set(big.accounts.map((a) => a.domain)).size).toBe(10_000);
    let taken = 0;
    for (const o of big.observations()) {
      expect(o.externalId).toBe('DEMO-00001');
      if (++taken === 200) break;
    }
  });
});

describe('generatePortfolio: metric history', () => {
  const KEYS = ['orders_30d', 'order_value_trend_90d', 'late_payments_90d', 'logins_30d', 'feature_adoption_pct', 'open_support_tickets', 'nps', 'csat', 'complaints_90d', 'days_since_last_contact', 'csm_sentiment', 'days_to_renewal'];
  const RANGES: Record<string, { min: number; max: number; integer: boolean }> = {
    orders_30d: { min: 0, max: 1e6, integer: true },
    order_value_trend_90d: { min: -100, max: 1000, integer: false },
    late_payments_90d: { min: 0, max: 1e6, integer: true },
    logins_30d: { min: 0, max: 1e6, integer: true },
    feature_adoption_pct: { min: 0, max: 100, integer: false },
    open_support_tickets: { min: 0, max: 1e6, integer: true },
    nps: { min: -100, max: 100, integer: true },
    csat: { min: 0, max: 100, integer: false },
    complaints_90d: { min: 0, max: 1e6, integer: true },
    days_since_last_contact: { min: 0, max: 1e6, integer: true },
    csm_sentiment: { min: 1, max: 5, integer: true },
    days_to_renewal: { min: 0, max: 366, integer: true },
  };

  it('uses the catalogue metric keys and keeps every value in its range', () => {
    const catalogue = new Set(BUILT_IN_METRICS.map((m) => m.key));
    const seen = new Set<string>();
    for (const o of p42.observations()) {
      seen.add(o.metricKey);
      const range = RANGES[o.metricKey];
      if (!range) throw new Error(`unexpected metric ${o.metricKey}`);
      expect(Number.isFinite(o.value)).toBe(true);
      if (o.value < range.min || o.value > range.max || (range.integer && !Number.isInteger(o.value))) throw new Error(`${o.metricKey} = ${o.value} out of range`);
    }
    expect([...seen].sort()).toEqual([...KEYS].sort());
    expect(KEYS.every((k) => catalogue.has(k))).toBe(true);
  });

  it('observes weekly for a year up to as-of, surveys and sentiment monthly or less, nothing on or after churn', () => {
    for (const a of p42.accounts) {
      const orders = series(history42, a.externalId, 'orders_30d');
      const last = orders.at(-1)?.observedAt.getTime() ?? 0;
      expect(orders.every((o, i) => i === 0 || o.observedAt.getTime() - (orders[i - 1]?.observedAt.getTime() ?? 0) === 7 * DAY)).toBe(true);
      expect(orders[0]?.observedAt.getTime()).toBe(today.getTime() - 51 * 7 * DAY);
      if (a.churnedOn) {
        expect(last).toBeLessThan(a.churnedOn.getTime());
        expect(orders.length).toBeLessThan(52);
      } else {
        expect(last).toBe(today.getTime());
        expect(orders).toHaveLength(52);
      }
      expect(series(history42, a.externalId, 'nps').length).toBeLessThanOrEqual(8);
      expect(series(history42, a.externalId, 'csat').length).toBeLessThanOrEqual(14);
    }
    const withSentiment = p42.accounts.filter((a) => history42.get(a.externalId)?.has('csm_sentiment')).length;
    expect(withSentiment).toBeGreaterThan(240 * 0.5);
    expect(withSentiment).toBeLessThan(240 * 0.9);
  });

  it('counts days to renewal down to the renewal date the account carries', () => {
    for (const a of p42.accounts.filter((x) => !x.churnedOn)) {
      const last = series(history42, a.externalId, 'days_to_renewal').at(-1);
      expect(last?.value).toBe(Math.round(((a.renewalDate?.getTime() ?? 0) - today.getTime()) / DAY));
    }
  });

  // Different seeds and seasons: Q4 bump and summer dip must not hide the trajectories.
  describe.each([
    [42, '2026-11-22T09:00:00Z'],
    [7, '2026-08-15T00:00:00Z'],
    [2026, '2026-12-31T23:00:00Z'],
  ])('trajectories (seed %i, as of %s)', (seed, iso) => {
    const at = new Date(iso);
    const p = seed === 42 ? p42 : generatePortfolio({ seed, asOf: at });
    const history = seed === 42 ? history42 : byAccount(p);
    const ids = (t: string) => [...p.trajectories].filter(([, x]) => x === t).map(([id]) => id);
    const lastMonth = (id: string, key: string) => {
      const s = series(history, id, key);
      const end = s.at(-1)?.observedAt.getTime() ?? 0;
      return mean(s.filter((o) => o.observedAt.getTime() > end - 30 * DAY).map((o) => o.value));
    };
    const monthsOneToSix = (id: string, key: string) => mean(series(history, id, key).filter((o) => o.observedAt.getTime() <= at.getTime() - 180 * DAY).map((o) => o.value));

    it('makes each declining account collapse on the 2–3 measures of its story and only erode on the rest', () => {
      expect(ids('declining').length).toBeGreaterThanOrEqual(30);
      const stories = new Set<string>();
      for (const id of ids('declining')) {
        const story = p.declines.get(id) ?? [];
        stories.add(story.join());
        expect(DECLINE_STORIES.map((x) => x.join())).toContain(story.join());
        const segment = p.accounts.find((a) => a.externalId === id)?.segment;
        // Where the last observation sits between the segment's poor (0) and good (1) levels.
        const position = (key: string) => {
          const [poor, good] = LEVELS[key]?.[segment === 'enterprise' || segment === 'smb' ? segment : 'mid-market'] ?? [0, 1];
          return ((series(history, id, key).at(-1)?.value ?? Number.NaN) - poor) / (good - poor);
        };
        for (const key of story) expect(position(key)).toBeLessThan(0.2);
        for (const key of ['orders_30d', 'order_value_trend_90d', 'logins_30d', 'feature_adoption_pct', 'nps', 'csat', 'open_support_tickets'].filter((k) => !story.includes(k))) {
          expect(position(key)).toBeGreaterThan(0.4);
        }
      }
      expect(stories.size).toBeGreaterThanOrEqual(4);
    });

    it('makes growing accounts grow and keeps stable ones within seasonal swings', () => {
      for (const id of ids('growing')) {
        const first = series(history, id, 'orders_30d').slice(0, 13).map((o) => o.value);
        expect(lastMonth(id, 'orders_30d')).toBeGreaterThan(1.2 * mean(first));
      }
      for (const id of ids('stable')) {
        const ratio = lastMonth(id, 'orders_30d') / monthsOneToSix(id, 'orders_30d');
        expect(ratio).toBeGreaterThan(0.7);
        expect(ratio).toBeLessThan(1.3);
      }
    });

    it('makes churned accounts decline before they churn', () => {
      for (const id of ids('churned')) {
        expect(lastMonth(id, 'orders_30d')).toBeLessThan(0.7 * mean(series(history, id, 'orders_30d').slice(0, 13).map((o) => o.value)));
      }
    });
  });
});
