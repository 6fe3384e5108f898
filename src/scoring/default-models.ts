// Seeded models. Thresholds follow the reference articles' good/poor ranges and
// differ by segment: enterprise accounts order less often but in larger
// volumes and are judged more on engagement and relationship; SMB accounts
// more on purchasing and self-serve adoption.
import type { AlertRuleConfig, BandCutoffs, Measure, ModelDefinition } from './types.js';

export const DEFAULT_ALERT_CONFIG: AlertRuleConfig = {
  bandWorsens: true,
  dropPoints: 10,
  dropDays: 14,
  measureCrossesPoor: true,
  renewalDays: 60,
  hysteresisPoints: 3,
  escalateAfterHours: 24,
};

export const DEFAULT_CUTOFFS: BandCutoffs = { healthyMin: 75, watchMin: 55, atRiskMin: 35 };

const m = (metricKey: string, weight: number, good: number, poor: number): Measure => ({ metricKey, weight, good, poor });

function model(key: string, name: string, segment: string | null, measures: Measure[]): ModelDefinition {
  return { key, name, segment, cutoffs: { ...DEFAULT_CUTOFFS }, minCompleteness: 0.5, alertConfig: { ...DEFAULT_ALERT_CONFIG }, measures };
}

export const DEFAULT_MODELS: readonly ModelDefinition[] = [
  model('default', 'Default', null, [
    m('orders_30d', 14, 20, 4),
    m('order_value_trend_90d', 8, 10, -20),
    m('late_payments_90d', 6, 0, 4),
    m('logins_30d', 12, 200, 30),
    m('feature_adoption_pct', 10, 70, 20),
    m('open_support_tickets', 8, 1, 10),
    m('nps', 10, 50, -20),
    m('csat', 8, 90, 60),
    m('complaints_90d', 6, 0, 5),
    m('days_since_last_contact', 8, 14, 60),
    m('csm_sentiment', 6, 5, 1),
    m('days_to_renewal', 4, 180, 30),
  ]),
  model('enterprise', 'Enterprise', 'enterprise', [
    m('orders_30d', 10, 12, 2),
    m('order_value_trend_90d', 8, 10, -15),
    m('late_payments_90d', 4, 0, 3),
    m('logins_30d', 14, 600, 100),
    m('feature_adoption_pct', 12, 75, 25),
    m('open_support_tickets', 10, 3, 20),
    m('nps', 10, 50, -10),
    m('csat', 6, 90, 65),
    m('complaints_90d', 6, 0, 4),
    m('days_since_last_contact', 8, 10, 45),
    m('csm_sentiment', 8, 5, 1),
    m('days_to_renewal', 4, 180, 45),
  ]),
  model('mid-market', 'Mid-market', 'mid-market', [
    m('orders_30d', 14, 20, 4),
    m('order_value_trend_90d', 8, 10, -20),
    m('late_payments_90d', 6, 0, 4),
    m('logins_30d', 12, 250, 40),
    m('feature_adoption_pct', 10, 70, 20),
    m('open_support_tickets', 8, 2, 12),
    m('nps', 10, 50, -20),
    m('csat', 8, 90, 60),
    m('complaints_90d', 6, 0, 5),
    m('days_since_last_contact', 8, 21, 60),
    m('csm_sentiment', 6, 5, 1),
    m('days_to_renewal', 4, 150, 30),
  ]),
  model('smb', 'SMB', 'smb', [
    m('orders_30d', 18, 30, 5),
    m('order_value_trend_90d', 10, 10, -25),
    m('late_payments_90d', 8, 0, 3),
    m('logins_30d', 12, 80, 10),
    m('feature_adoption_pct', 12, 60, 15),
    m('open_support_tickets', 6, 0, 6),
    m('nps', 8, 40, -30),
    m('csat', 8, 90, 55),
    m('complaints_90d', 6, 0, 3),
    m('days_since_last_contact', 4, 45, 120),
    m('csm_sentiment', 4, 5, 1),
    m('days_to_renewal', 4, 120, 20),
  ]),
];
