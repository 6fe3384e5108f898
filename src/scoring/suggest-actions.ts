// Suggested next steps, drawn from customer-success practice (shared/reference):
// each rule looks at the weak measures, band, trend and renewal, and says why.
import type { Trend } from './trend.js';
import type { MeasureComponent, MetricDefinition, ScoreResult } from './types.js';

export interface SuggestedAction {
  id: string;
  title: string;
  why: string;
  /** Lower comes first. */
  priority: number;
}

export interface ActionInput {
  result: ScoreResult;
  trend: Trend | null;
  daysToRenewal: number | null;
  metrics: ReadonlyMap<string, Pick<MetricDefinition, 'label' | 'unit'>>;
}

/** A scored measure earning under 40 points counts as weak. */
const WEAK_POINTS = 40;

interface Rule {
  id: string;
  title: string;
  priority: number;
  metricKeys?: readonly string[];
  when?: (input: ActionInput) => string | null;
}

const RULES: readonly Rule[] = [
  { id: 'executive-sponsor-call', title: 'Book an executive sponsor call before renewal', priority: 1,
    when: ({ result, daysToRenewal }) =>
      daysToRenewal !== null && daysToRenewal >= 0 && daysToRenewal <= 90 && (result.band === 'at_risk' || result.band === 'critical')
        ? `renewal in ${daysToRenewal} days while ${result.band === 'critical' ? 'critical' : 'at risk'}` : null },
  { id: 'escalate-support', title: 'Escalate open tickets to the support lead', priority: 2, metricKeys: ['open_support_tickets', 'complaints_90d'] },
  { id: 'feedback-call', title: 'Run a feedback call with the detractors', priority: 3, metricKeys: ['nps', 'csat'] },
  { id: 'reorder-check-in', title: 'Reorder check-in with a tailored offer', priority: 4, metricKeys: ['orders_30d', 'order_value_trend_90d'] },
  { id: 'training-session', title: 'Offer a training session on unused features', priority: 5, metricKeys: ['feature_adoption_pct', 'logins_30d'] },
  { id: 'finance-check-in', title: 'Check in with their finance team on payments', priority: 6, metricKeys: ['late_payments_90d'] },
  { id: 'schedule-check-in', title: 'Schedule a check-in call', priority: 7, metricKeys: ['days_since_last_contact'] },
  { id: 'account-plan-review', title: 'Review the account plan with your team', priority: 8, metricKeys: ['csm_sentiment'] },
  { id: 'collect-missing-data', title: 'Collect the missing data', priority: 9,
    when: ({ result, metrics }) => {
      const missing = result.components.filter((c) => c.points === null).map((c) => metrics.get(c.metricKey)?.label ?? c.metricKey);
      if (result.band !== 'insufficient_data' && result.completeness >= 0.8) return null;
      return missing.length === 0 ? null : `no fresh data for ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''}`;
    } },
  { id: 'expansion', title: 'Propose an upsell, ask for a reference, or offer a loyalty reward', priority: 10,
    when: ({ result, trend }) =>
      result.band === 'healthy' && (trend?.change30d ?? 0) >= 0
        ? `healthy at ${result.score}/100${trend?.change30d ? ` and up ${trend.change30d} points in 30 days` : ' and steady'}` : null },
];

function describe(component: MeasureComponent, metrics: ActionInput['metrics']): string {
  const metric = metrics.get(component.metricKey);
  const unit = !metric?.unit ? '' : metric.unit === '%' ? '%' : ` ${metric.unit}`;
  return `${metric?.label ?? component.metricKey} is ${component.value}${unit} (poor: ${component.poor}, good: ${component.good})`;
}

export function suggestActions(input: ActionInput, max = 3): SuggestedAction[] {
  const weak = new Map(input.result.components.filter((c) => c.points !== null && c.points < WEAK_POINTS).map((c) => [c.metricKey, c]));
  const actions: SuggestedAction[] = [];
  for (const rule of RULES) {
    let why: string | null = null;
    if (rule.metricKeys) {
      const hits = rule.metricKeys.map((k) => weak.get(k)).filter((c): c is MeasureComponent => c !== undefined);
      if (hits.length > 0) why = hits.map((c) => describe(c, input.metrics)).join('; ');
    } else if (rule.when) {
      why = rule.when(input);
    }
    if (why) actions.push({ id: rule.id, title: rule.title, why, priority: rule.priority });
  }
  // Among metric rules, the one whose measures cost the most points comes first.
  const cost = (a: SuggestedAction) => {
    const keys = RULES.find((r) => r.id === a.id)?.metricKeys ?? [];
    return keys.reduce((sum, k) => sum + (weak.get(k)?.pointsLost ?? 0), 0);
  };
  actions.sort((a, b) => (a.priority <= 1 || b.priority <= 1 ? a.priority - b.priority : cost(b) - cost(a) || a.priority - b.priority));
  return actions.slice(0, max);
}
