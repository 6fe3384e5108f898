// The built-in metric catalogue: transactional, engagement, sentiment,
// relationship and lifecycle signals (shared/reference articles), each with its
// direction and how long an observation stays fresh enough to score.
import { z } from 'zod';
import { DIRECTIONS, METRIC_CATEGORIES, type MetricDefinition } from './types.js';

const metric = (m: MetricDefinition): MetricDefinition => m;

export const BUILT_IN_METRICS: readonly MetricDefinition[] = [
  metric({ key: 'orders_30d', label: 'Orders (30 days)', unit: 'orders', direction: 'higher_is_better', category: 'transactional', freshnessDays: 45, description: 'Purchase frequency: orders placed in the last 30 days.' }),
  metric({ key: 'order_value_trend_90d', label: 'Order value trend (90 days)', unit: '%', direction: 'higher_is_better', category: 'transactional', freshnessDays: 45, description: 'Change in order value over the last 90 days against the 90 days before.' }),
  metric({ key: 'late_payments_90d', label: 'Late payments (90 days)', unit: 'invoices', direction: 'lower_is_better', category: 'transactional', freshnessDays: 60, description: 'Invoices paid after their due date in the last 90 days.' }),
  metric({ key: 'logins_30d', label: 'Logins (30 days)', unit: 'logins', direction: 'higher_is_better', category: 'engagement', freshnessDays: 30, description: 'User logins to the product in the last 30 days.' }),
  metric({ key: 'feature_adoption_pct', label: 'Feature adoption', unit: '%', direction: 'higher_is_better', category: 'engagement', freshnessDays: 45, description: 'Share of key features in active use.' }),
  metric({ key: 'open_support_tickets', label: 'Open support tickets', unit: 'tickets', direction: 'lower_is_better', category: 'engagement', freshnessDays: 14, description: 'Support tickets currently unresolved.' }),
  metric({ key: 'nps', label: 'NPS', unit: 'points', direction: 'higher_is_better', category: 'sentiment', freshnessDays: 120, description: 'Net Promoter Score of the account\'s respondents (−100 to 100).' }),
  metric({ key: 'csat', label: 'CSAT', unit: '%', direction: 'higher_is_better', category: 'sentiment', freshnessDays: 90, description: 'Share of satisfied responses to support surveys.' }),
  metric({ key: 'complaints_90d', label: 'Complaints (90 days)', unit: 'complaints', direction: 'lower_is_better', category: 'sentiment', freshnessDays: 60, description: 'Formal complaints in the last 90 days.' }),
  metric({ key: 'days_since_last_contact', label: 'Days since last contact', unit: 'days', direction: 'lower_is_better', category: 'relationship', freshnessDays: 14, description: 'Days since the last meaningful conversation with the customer.' }),
  metric({ key: 'csm_sentiment', label: 'CSM sentiment', unit: '1–5', direction: 'higher_is_better', category: 'relationship', freshnessDays: 30, description: 'The CSM\'s judgement of the relationship, recorded with /health sentiment.' }),
  // Far from renewal is safer: a near renewal leaves little time to recover an unhealthy account.
  metric({ key: 'days_to_renewal', label: 'Days to renewal', unit: 'days', direction: 'higher_is_better', category: 'lifecycle', freshnessDays: 7, description: 'Days until the contract renews (derived from the account\'s renewal date).' }),
];

export const METRIC_KEY_PATTERN = /^[a-z][a-z0-9_]{1,62}$/;

/** A user-defined metric added to the catalogue. */
export const customMetricSchema = z.object({
  key: z.string().regex(METRIC_KEY_PATTERN, 'metric keys are lower-case letters, digits and underscores, starting with a letter'),
  label: z.string().trim().min(1, 'label is required').max(80, 'label is at most 80 characters'),
  unit: z.string().trim().max(20, 'unit is at most 20 characters').default(''),
  direction: z.enum(DIRECTIONS, { error: 'direction must be higher_is_better or lower_is_better' }),
  category: z.enum(METRIC_CATEGORIES).default('custom'),
  freshnessDays: z.number().int('freshnessDays must be a whole number').min(1).max(3650),
  description: z.string().max(500).default(''),
});
