// The built-in metric catalogue: transactional, engagement, sentiment,
// relationship and lifecycle signals (shared/reference articles), each with its
// direction, how long an observation stays fresh enough to score, and the range
// a real value can take (counts are never negative, a percentage is 0–100, NPS
// −100–100, CSM sentiment 1–5), so a typo like csm_sentiment 99 is refused at
// ingestion instead of scored.
import { z } from 'zod';
import { DIRECTIONS, METRIC_CATEGORIES, type MetricDefinition } from './types.js';

const metric = (m: MetricDefinition): MetricDefinition => m;

export const BUILT_IN_METRICS: readonly MetricDefinition[] = [
  metric({ key: 'orders_30d', label: 'Orders (30 days)', unit: 'orders', direction: 'higher_is_better', category: 'transactional', freshnessDays: 45, description: 'Purchase frequency: orders placed in the last 30 days.', minValue: 0, maxValue: null }),
  metric({ key: 'order_value_trend_90d', label: 'Order value trend (90 days)', unit: '%', direction: 'higher_is_better', category: 'transactional', freshnessDays: 45, description: 'Change in order value over the last 90 days against the 90 days before.', minValue: -100, maxValue: null }),
  metric({ key: 'late_payments_90d', label: 'Late payments (90 days)', unit: 'invoices', direction: 'lower_is_better', category: 'transactional', freshnessDays: 60, description: 'Invoices paid after their due date in the last 90 days.', minValue: 0, maxValue: null }),
  metric({ key: 'logins_30d', label: 'Logins (30 days)', unit: 'logins', direction: 'higher_is_better', category: 'engagement', freshnessDays: 30, description: 'User logins to the product in the last 30 days.', minValue: 0, maxValue: null }),
  metric({ key: 'feature_adoption_pct', label: 'Feature adoption', unit: '%', direction: 'higher_is_better', category: 'engagement', freshnessDays: 45, description: 'Share of key features in active use.', minValue: 0, maxValue: 100 }),
  metric({ key: 'open_support_tickets', label: 'Open support tickets', unit: 'tickets', direction: 'lower_is_better', category: 'engagement', freshnessDays: 14, description: 'Support tickets currently unresolved.', minValue: 0, maxValue: null }),
  metric({ key: 'nps', label: 'NPS', unit: 'points', direction: 'higher_is_better', category: 'sentiment', freshnessDays: 120, description: 'Net Promoter Score of the account\'s respondents (−100 to 100).', minValue: -100, maxValue: 100 }),
  metric({ key: 'csat', label: 'CSAT', unit: '%', direction: 'higher_is_better', category: 'sentiment', freshnessDays: 90, description: 'Share of satisfied responses to support surveys.', minValue: 0, maxValue: 100 }),
  metric({ key: 'complaints_90d', label: 'Complaints (90 days)', unit: 'complaints', direction: 'lower_is_better', category: 'sentiment', freshnessDays: 60, description: 'Formal complaints in the last 90 days.', minValue: 0, maxValue: null }),
  metric({ key: 'days_since_last_contact', label: 'Days since last contact', unit: 'days', direction: 'lower_is_better', category: 'relationship', freshnessDays: 14, description: 'Days since the last meaningful conversation with the customer.', minValue: 0, maxValue: null }),
  metric({ key: 'csm_sentiment', label: 'CSM sentiment', unit: '1–5', direction: 'higher_is_better', category: 'relationship', freshnessDays: 30, description: 'The CSM\'s judgement of the relationship, recorded with /health sentiment.', minValue: 1, maxValue: 5 }),
  // Far from renewal is safer: a near renewal leaves little time to recover an unhealthy account.
  metric({ key: 'days_to_renewal', label: 'Days to renewal', unit: 'days', direction: 'higher_is_better', category: 'lifecycle', freshnessDays: 7, description: 'Days until the contract renews (derived from the account\'s renewal date).', minValue: -3660, maxValue: 3660 }),
];

export const METRIC_KEY_PATTERN = /^[a-z][a-z0-9_]{1,62}$/;

const optionalBound = (what: string) => z.number({ error: `${what} must be a number` }).finite(`${what} must be a finite number`).nullable().default(null);

/** A user-defined metric added to the catalogue (`account-health metric add`, model files). */
export const customMetricSchema = z
  .strictObject({
    key: z.string().regex(METRIC_KEY_PATTERN, 'metric keys are 2–63 lower-case letters, digits and underscores, starting with a letter'),
    label: z.string().trim().min(1, 'label is required').max(80, 'label is at most 80 characters'),
    unit: z.string().trim().max(20, 'unit is at most 20 characters').default(''),
    direction: z.enum(DIRECTIONS, { error: 'direction must be higher_is_better or lower_is_better' }),
    category: z.enum(METRIC_CATEGORIES, { error: `category must be one of ${METRIC_CATEGORIES.join(', ')}` }).default('custom'),
    freshnessDays: z.number({ error: 'freshness days must be a number' }).int('freshness days must be a whole number').min(1, 'freshness days must be 1 or more').max(3650, 'freshness days must be at most 3650'),
    description: z.string().trim().max(500, 'description is at most 500 characters').default(''),
    minValue: optionalBound('min'),
    maxValue: optionalBound('max'),
  })
  .refine((m) => m.minValue === null || m.maxValue === null || m.minValue < m.maxValue, { message: 'min must be below max', path: ['maxValue'] });

export type CustomMetric = z.output<typeof customMetricSchema>;
