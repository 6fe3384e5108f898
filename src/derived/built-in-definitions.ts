// The catalogue's metrics as derived from the event vocabulary (Segment's
// spec event names; PRODUCT.md "Events and derived metrics"). A team that
// sends these events gets every measure without configuring anything; each
// can be replaced with `account-health metric define FILE.json`.
import { parseDerivedMetric, type DerivedMetric } from './definition-schema.js';

const RAW: readonly unknown[] = [
  {
    metric: 'orders_30d',
    description: 'Distinct orders completed in the last 30 days, less those cancelled.',
    events: ['Order Completed'],
    aggregation: { type: 'count_distinct', property: 'order_id', unless: ['Order Cancelled'] },
    windowDays: 30,
  },
  {
    metric: 'order_value_trend_90d',
    description: '% change of the order total (total, else revenue) over the last 90 days against the 90 before.',
    events: ['Order Completed'],
    aggregation: { type: 'pct_change', of: 'sum', property: ['total', 'revenue'] },
    windowDays: 90,
  },
  {
    metric: 'late_payments_90d',
    description: 'Distinct invoices overdue or whose payment failed in the last 90 days.',
    events: ['Invoice Overdue', 'Invoice Payment Failed'],
    aggregation: { type: 'count_distinct', property: 'invoice_id' },
    windowDays: 90,
  },
  {
    metric: 'logins_30d',
    description: 'Sign-ins in the last 30 days.',
    events: ['Signed In'],
    aggregation: { type: 'count' },
    windowDays: 30,
  },
  {
    metric: 'feature_adoption_pct',
    description: 'Distinct features the account used in 45 days ÷ distinct features used by all accounts in 45 days × 100.',
    events: ['Feature Used'],
    where: [{ property: 'feature', op: 'exists' }],
    aggregation: { type: 'ratio', of: 'count_distinct', property: 'feature', denominator: 'all_accounts', scale: 100 },
    windowDays: 45,
  },
  {
    metric: 'open_support_tickets',
    description: 'Tickets opened (in the last year) and not closed since.',
    events: ['Ticket Opened'],
    aggregation: { type: 'open_entities', idProperty: 'ticket_id', closedBy: ['Ticket Closed'] },
    windowDays: 365,
  },
  {
    metric: 'complaints_90d',
    description: 'Tickets opened in the last 90 days with type "complaint".',
    events: ['Ticket Opened'],
    where: [{ property: 'type', op: 'eq', value: 'complaint' }],
    aggregation: { type: 'count_distinct', property: 'ticket_id' },
    windowDays: 90,
  },
  {
    metric: 'nps',
    description: '% promoters (9–10) − % detractors (0–6) over each user\'s latest answer in 120 days.',
    events: ['NPS Survey Answered'],
    where: [{ property: 'score', op: 'exists' }],
    latestPerUser: true,
    aggregation: { type: 'ratio', of: 'count', numerator: [{ property: 'score', op: 'gt', value: 8.5 }], minus: [{ property: 'score', op: 'lt', value: 6.5 }], scale: 100 },
    windowDays: 120,
  },
  {
    metric: 'csat',
    description: '% of ratings 4–5 in the last 90 days.',
    events: ['CSAT Rated'],
    where: [{ property: 'rating', op: 'exists' }],
    aggregation: { type: 'ratio', of: 'count', numerator: [{ property: 'rating', op: 'gt', value: 3.5 }], scale: 100 },
    windowDays: 90,
  },
  {
    metric: 'days_since_last_contact',
    description: 'Whole days since the newest Contact Logged (looking back a year).',
    events: ['Contact Logged'],
    aggregation: { type: 'days_since_last' },
    windowDays: 365,
  },
];

export const BUILT_IN_DEFINITIONS: readonly DerivedMetric[] = RAW.map((d) => parseDerivedMetric(d));
