// Human sentences for alert triggers, used in alert posts and thread replies.
import type { AlertTrigger } from './alert-types.js';

const band = (b: string) => b.replace('_', ' ');

export function describeTrigger(trigger: AlertTrigger, label: (metricKey: string) => string = (k) => k): string {
  switch (trigger.rule) {
    case 'band_worsened':
      return `Band fell from ${band(trigger.from)} to ${band(trigger.to)}`;
    case 'score_dropped':
      return `Score fell ${Math.round(trigger.points)} points within ${trigger.days} days (${Math.round(trigger.fromScore)} → ${Math.round(trigger.toScore)})`;
    case 'measure_poor':
      return `${label(trigger.metricKey)} reached its poor threshold (${trigger.value}; poor is ${trigger.poor})`;
    case 'renewal_at_risk':
      return `Renewal in ${trigger.daysToRenewal} days while ${band(trigger.band)}`;
    case 'first_scored_at_risk':
      return `First score is ${band(trigger.band)}`;
  }
}

export function describeTriggers(triggers: readonly AlertTrigger[], label?: (metricKey: string) => string): string {
  return triggers.map((t) => describeTrigger(t, label)).join('; ');
}
