// The demo portfolio as a team would send it: Segment group calls and tracks
// in the built-in vocabulary, so `npm run demo` shows metrics derived from
// events end to end. Each account's weekly metric plan (generate-observations)
// is turned into the events that produce it — n logins a week for "logins_30d
// ≈ V", tickets opened and closed to keep V open, survey answers whose NPS is
// V — so the derived values follow the same trajectories and stories.
// Pure and seeded: the same plan gives the same messages.
import type { AccountInput } from '../ingest/write-accounts.js';
import type { DemoObservation } from './generate-observations.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const FEATURES = 10;
const RESPONDENTS = 10;
const RATINGS = 10;

/** Metrics that stay observations: the CSM's judgement (recorded in Slack) and the renewal countdown (from the account). */
export const NOT_FROM_EVENTS = new Set(['csm_sentiment', 'days_to_renewal']);

/** Each metric's window in days: events older than it (before the earliest scored as-of) are not generated. */
const WINDOW_DAYS: Record<string, number> = {
  logins_30d: 30, orders_30d: 30, order_value_trend_90d: 180, late_payments_90d: 90, feature_adoption_pct: 45,
  open_support_tickets: 365, complaints_90d: 90, nps: 120, csat: 90, days_since_last_contact: 365,
};

/** Weeks a metric's window reaches back beyond the current one, and which planned value its events follow. */
const LOOKAHEAD: Record<string, [number, (...values: number[]) => number]> = {
  logins_30d: [4, Math.min], orders_30d: [4, Math.min], feature_adoption_pct: [6, Math.min], order_value_trend_90d: [12, Math.min],
  late_payments_90d: [12, Math.max], complaints_90d: [12, Math.max],
};

export interface DemoMessage {
  type: 'group' | 'track';
  messageId: string;
  userId: string;
  timestamp: string;
  event?: string;
  groupId?: string;
  traits?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  context?: { groupId: string };
}

/** The account fields a group call's traits carry. */
type AccountTraits = Pick<AccountInput, 'externalId' | 'name' | 'domain' | 'segment' | 'arr' | 'renewalDate'>;

/**
 * One account's messages: a group call for each of its users when the history
 * starts, then the tracks behind each week's planned values. `firstScoredAt`
 * is the earliest as-of that will be scored: events a window before it are skipped.
 */
export function generateAccountEvents(account: AccountTraits, index: number, observations: readonly DemoObservation[], start: Date, firstScoredAt: Date): DemoMessage[] {
  const id = account.externalId;
  const out: DemoMessage[] = [];
  let n = 0;
  const user = (k: number) => `${id}-user-${k}`;
  const at = (ms: number) => new Date(Math.round(ms)).toISOString();
  const track = (event: string, ms: number, properties: Record<string, unknown>, who = user(0)) => {
    n += 1;
    out.push({ type: 'track', messageId: `${id}-${n}`, userId: who, event, timestamp: at(ms), properties, context: { groupId: id } });
  };
  const traits: Record<string, unknown> = { name: account.name };
  if (account.domain) traits['domain'] = account.domain;
  if (account.segment) traits['plan'] = account.segment;
  if (typeof account.arr === 'number') traits['arr'] = account.arr;
  if (account.renewalDate) traits['renewal_date'] = account.renewalDate.toISOString().slice(0, 10);
  for (let k = 0; k < RESPONDENTS; k += 1) {
    out.push({ type: 'group', messageId: `${id}-group-${k}`, userId: user(k), groupId: id, timestamp: at(start.getTime() - WEEK_MS), traits });
  }

  const byMetric = new Map<string, DemoObservation[]>();
  for (const o of observations) {
    if (NOT_FROM_EVENTS.has(o.metricKey)) continue;
    const list = byMetric.get(o.metricKey) ?? [];
    list.push(o);
    byMetric.set(o.metricKey, list);
  }
  const needed = (metric: string, weekEnd: number) => weekEnd > firstScoredAt.getTime() - ((WINDOW_DAYS[metric] ?? 365) + 7) * DAY_MS;
  /** `count` events spread evenly over the week ending at `end`. */
  const spread = (count: number, end: number, emit: (ms: number, i: number) => void) => {
    for (let i = 0; i < count; i += 1) emit(end - WEEK_MS + ((i + 0.5) * WEEK_MS) / count, i);
  };
  // Fractional weekly rates accumulate, so "2 late invoices per 90 days" is not rounded to none a week.
  const rate = (perDays: number) => {
    let carry = 0;
    return (value: number) => {
      carry += (Math.max(0, value) * 7) / perDays;
      const whole = Math.floor(carry + 1e-9);
      carry -= whole;
      return whole;
    };
  };

  // A window of N days still holds the events of weeks before, so a declining plan would be
  // derived late; each week's events follow the lowest planned value the window will reach
  // while it still holds them (the plan is known), and the derived value keeps pace with it.
  // (For lower-is-better counts, the highest: a worsening plan is not derived late either.)
  for (const [metric, [weeks, pick]] of Object.entries(LOOKAHEAD)) {
    const series = byMetric.get(metric);
    if (series) byMetric.set(metric, series.map((o, w) => ({ ...o, value: pick(...series.slice(w, w + weeks + 1).map((x) => x.value)) })));
  }

  for (const [metric, series] of byMetric) {
    switch (metric) {
      case 'logins_30d': {
        const weekly = rate(30);
        for (const o of series) {
          const count = weekly(o.value);
          const end = o.observedAt.getTime();
          if (needed(metric, end)) spread(count, end, (ms, i) => track('Signed In', ms, {}, user(i % RESPONDENTS)));
        }
        break;
      }
      case 'orders_30d': {
        // Orders also carry the value trend: each week's total grows or shrinks against 13 weeks before.
        const trend = new Map((byMetric.get('order_value_trend_90d') ?? []).map((o) => [o.observedAt.getTime(), o.value]));
        const weekly = rate(30);
        const sums: number[] = [];
        let lastTrend = 0;
        let owed = 0;
        series.forEach((o, w) => {
          const end = o.observedAt.getTime();
          lastTrend = trend.get(end) ?? lastTrend;
          const target = w < 13 ? 1_000 : (sums[w - 13] ?? 1_000) * (1 + lastTrend / 100);
          sums.push(target);
          owed += target;
          const count = weekly(o.value);
          if (count === 0) return;
          const total = Math.round((owed / count) * 100) / 100;
          owed = 0;
          if (needed('order_value_trend_90d', end)) spread(count, end, (ms, i) => track('Order Completed', ms, { order_id: `${id}-${w}-${i}`, total, currency: 'USD' }));
        });
        break;
      }
      case 'late_payments_90d': {
        const weekly = rate(90);
        series.forEach((o, w) => {
          const end = o.observedAt.getTime();
          if (!needed(metric, end)) return;
          if (w % 4 === 0) track('Invoice Paid', end - 2 * DAY_MS, { invoice_id: `${id}-paid-${w}` });
          spread(weekly(o.value), end, (ms, i) => track(i % 2 === 0 ? 'Invoice Overdue' : 'Invoice Payment Failed', ms, { invoice_id: `${id}-late-${w}-${i}` }));
        });
        break;
      }
      case 'feature_adoption_pct':
        for (const o of series) {
          const end = o.observedAt.getTime();
          if (!needed(metric, end)) continue;
          // Accounts start the rotation at different features, so together they use all ten.
          const used = Math.max(0, Math.min(FEATURES, Math.round(o.value / (100 / FEATURES))));
          spread(used, end, (ms, i) => track('Feature Used', ms, { feature: `feature-${((index + i) % FEATURES) + 1}` }));
        }
        break;
      case 'open_support_tickets': {
        const open: string[] = [];
        series.forEach((o, w) => {
          const end = o.observedAt.getTime();
          const target = Math.max(0, Math.round(o.value));
          let t = 0;
          while (open.length > target) track('Ticket Closed', end - DAY_MS, { ticket_id: open.shift() });
          while (open.length < target) {
            const ticket = `${id}-open-${w}-${(t += 1)}`;
            open.push(ticket);
            track('Ticket Opened', end - 3 * DAY_MS, { ticket_id: ticket, type: 'question' });
          }
        });
        break;
      }
      case 'complaints_90d': {
        const weekly = rate(90);
        series.forEach((o, w) => {
          const end = o.observedAt.getTime();
          if (!needed(metric, end)) return;
          spread(weekly(o.value), end, (ms, i) => {
            const ticket = `${id}-complaint-${w}-${i}`;
            track('Ticket Opened', ms - DAY_MS, { ticket_id: ticket, type: 'complaint' });
            track('Ticket Closed', ms, { ticket_id: ticket });
          });
        });
        break;
      }
      case 'nps':
        for (const o of series) {
          const end = o.observedAt.getTime();
          if (!needed(metric, end)) continue;
          // Net score in tens: that many promoters (or detractors), the rest passive.
          const net = Math.max(-RESPONDENTS, Math.min(RESPONDENTS, Math.round(o.value / (100 / RESPONDENTS))));
          for (let k = 0; k < RESPONDENTS; k += 1) {
            const score = k < Math.abs(net) ? (net > 0 ? 10 : 3) : 8;
            track('NPS Survey Answered', end - DAY_MS + k * 60_000, { score }, user(k));
          }
        }
        break;
      case 'csat':
        for (const o of series) {
          const end = o.observedAt.getTime();
          if (!needed(metric, end)) continue;
          const satisfied = Math.max(0, Math.min(RATINGS, Math.round(o.value / (100 / RATINGS))));
          spread(RATINGS, end, (ms, i) => track('CSAT Rated', ms, { rating: i < satisfied ? 5 : 2 }, user(i)));
        }
        break;
      case 'days_since_last_contact': {
        // A contact dated the planned number of days back; one can never be undone by a later week.
        let last = -Infinity;
        for (const o of series) {
          const end = o.observedAt.getTime();
          const contact = end - Math.max(0, Math.round(o.value)) * DAY_MS;
          if (contact > last && needed(metric, end)) {
            last = contact;
            track('Contact Logged', contact, { channel: 'call' });
          }
        }
        break;
      }
      case 'order_value_trend_90d':
        break; // carried by the orders' totals
      default:
        throw new Error(`the demo has no events for ${metric}`);
    }
  }
  return out;
}
