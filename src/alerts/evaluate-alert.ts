// The alert rules, pure: given an account's new snapshot and its history,
// decide whether to open, update, resolve or stay quiet.
//
// An episode is judged against a fixed baseline: the last state in a better
// band, chosen when the alert opens and kept while it is open, so a fall into
// "watch" is not forgiven one run later because "watch" became the newest
// state. Each trigger clears on its own condition plus a hysteresis buffer, and
// the alert resolves only when every trigger has cleared: an account hovering
// near a cut-off does not flap.
import type { AlertRuleConfig, Band, BandCutoffs, MeasureComponent, SnapshotBand } from '../scoring/types.js';
import { daysToRenewal } from '../scoring/renewal.js';
import type { AlertReason, AlertTrigger } from './alert-types.js';

const RANK: Record<Band, number> = { healthy: 0, watch: 1, at_risk: 2, critical: 3 };

export interface SnapshotLike {
  /** The stored snapshot's id, when it has one (kept as an alert's baseline). */
  id?: bigint;
  asOf: Date;
  score: number | null;
  band: SnapshotBand;
  components: readonly MeasureComponent[];
}

export interface AlertContext {
  config: AlertRuleConfig;
  cutoffs: BandCutoffs;
  current: SnapshotLike;
  /** For an open alert, the baseline it opened against; else the latest earlier state in a better band than now (since the last closed alert). */
  baseline: SnapshotLike | null;
  /** The snapshot before this one: a measure "crosses" poor between the two. */
  previous: SnapshotLike | null;
  /** The best-scored state within config.dropDays before now (since the last closed alert). */
  peak: SnapshotLike | null;
  openAlert: { triggers: readonly AlertTrigger[]; band: string; score: number | null } | null;
  renewalDate: Date | null;
}

export type AlertDecision =
  | { kind: 'none' }
  | { kind: 'open'; triggers: AlertTrigger[]; reason: AlertReason; against: SnapshotLike | null }
  | { kind: 'update'; triggers: AlertTrigger[]; reason: AlertReason; changed: string }
  | { kind: 'resolve'; why: string };

export function isBand(band: SnapshotBand | string): band is Band {
  return band === 'healthy' || band === 'watch' || band === 'at_risk' || band === 'critical';
}

export function bandRank(band: Band): number {
  return RANK[band];
}

/** The lowest score still inside a band. */
function lowerEdge(band: Band, cutoffs: BandCutoffs): number {
  return band === 'healthy' ? cutoffs.healthyMin : band === 'watch' ? cutoffs.watchMin : band === 'at_risk' ? cutoffs.atRiskMin : 0;
}


export function findTriggers(ctx: AlertContext): AlertTrigger[] {
  const { config, cutoffs, current, baseline, previous, peak } = ctx;
  if (!isBand(current.band) || current.score === null) return [];
  const triggers: AlertTrigger[] = [];
  const baseBand = baseline && isBand(baseline.band) ? baseline.band : null;

  if (config.bandWorsens && baseBand && RANK[current.band] > RANK[baseBand] && current.score <= lowerEdge(baseBand, cutoffs) - config.hysteresisPoints) {
    triggers.push({ rule: 'band_worsened', from: baseBand, to: current.band });
  }
  if (peak && peak.score !== null && peak.score - current.score >= config.dropPoints) {
    triggers.push({ rule: 'score_dropped', points: round1(peak.score - current.score), days: config.dropDays, fromScore: peak.score, toScore: current.score });
  }
  if (config.measureCrossesPoor && previous) {
    const before = new Map(previous.components.map((c) => [c.metricKey, c]));
    for (const c of current.components) {
      const was = before.get(c.metricKey);
      if (c.points === 0 && c.value !== null && was && was.points !== null && was.points > 0) {
        triggers.push({ rule: 'measure_poor', metricKey: c.metricKey, value: c.value, poor: c.poor });
      }
    }
  }
  if (ctx.renewalDate && (current.band === 'at_risk' || current.band === 'critical')) {
    const days = daysToRenewal(ctx.renewalDate, current.asOf);
    if (days >= 0 && days <= config.renewalDays) triggers.push({ rule: 'renewal_at_risk', daysToRenewal: days, band: current.band });
  }
  if (!baseline && !previous && (current.band === 'at_risk' || current.band === 'critical')) {
    triggers.push({ rule: 'first_scored_at_risk', band: current.band });
  }
  return triggers;
}

/** Whether an open alert's trigger no longer holds, with the hysteresis buffer applied. */
export function triggerCleared(trigger: AlertTrigger, ctx: AlertContext): boolean {
  const { current, config, cutoffs } = ctx;
  const score = current.score ?? Number.NEGATIVE_INFINITY;
  const buffer = config.hysteresisPoints;
  switch (trigger.rule) {
    case 'band_worsened':
      return score >= lowerEdge(trigger.from, cutoffs) + buffer;
    case 'score_dropped':
      return trigger.fromScore - score < config.dropPoints - buffer;
    case 'measure_poor': {
      const component = current.components.find((c) => c.metricKey === trigger.metricKey);
      // Removed from the model: nothing left to watch. Missing or stale: not known to be better.
      return component === undefined || (component.points !== null && component.points >= buffer);
    }
    case 'renewal_at_risk': {
      const days = ctx.renewalDate ? daysToRenewal(ctx.renewalDate, current.asOf) : -1;
      return days < 0 || days > config.renewalDays || score >= cutoffs.watchMin + buffer;
    }
    case 'first_scored_at_risk':
      return score >= cutoffs.watchMin + buffer;
  }
}

/** Which measures lost how many points since the baseline, with values before and after. */
export function explainChange(baseline: SnapshotLike | null, current: SnapshotLike): AlertReason {
  const before = new Map((baseline?.components ?? []).map((c) => [c.metricKey, c]));
  const changes = current.components
    .map((c) => {
      const was = before.get(c.metricKey);
      return { metricKey: c.metricKey, pointsLost: round1(c.pointsLost - (was?.pointsLost ?? 0)), valueBefore: was?.value ?? null, valueAfter: c.value };
    })
    .filter((c) => c.pointsLost >= 0.5)
    .sort((a, b) => b.pointsLost - a.pointsLost);
  return {
    baseline: baseline ? { asOf: baseline.asOf.toISOString(), score: baseline.score, band: baseline.band } : null,
    changes,
  };
}

const triggerKey = (t: AlertTrigger) => (t.rule === 'measure_poor' ? `${t.rule}:${t.metricKey}` : t.rule);

export function evaluateAlert(ctx: AlertContext): AlertDecision {
  const { current, openAlert } = ctx;
  // Too little data says nothing either way: keep whatever state there is.
  if (!isBand(current.band) || current.score === null) return { kind: 'none' };
  const fresh = findTriggers(ctx);

  if (!openAlert) {
    if (fresh.length === 0) return { kind: 'none' };
    // Explain against the last better state; a drop within one band, against its peak.
    const against = ctx.baseline ?? ctx.peak ?? ctx.previous;
    return { kind: 'open', triggers: fresh, reason: explainChange(against, current), against };
  }

  // Triggers firing now, plus earlier ones that have not cleared yet.
  const active = new Map(fresh.map((t) => [triggerKey(t), t]));
  for (const t of openAlert.triggers) if (!active.has(triggerKey(t)) && !triggerCleared(t, ctx)) active.set(triggerKey(t), t);
  if (active.size === 0) {
    return { kind: 'resolve', why: `score recovered to ${Math.round(current.score)} (${current.band.replace('_', ' ')})` };
  }

  const previousKeys = new Set(openAlert.triggers.map(triggerKey));
  const newRules = [...active.values()].filter((t) => !previousKeys.has(triggerKey(t))).map((t) => t.rule.replace(/_/g, ' '));
  const alertBand = isBand(openAlert.band) ? openAlert.band : current.band;
  // Only a worse band is news by itself; improvements show once the score moves 5+ points or the alert resolves.
  const bandChanged = RANK[current.band] > RANK[alertBand];
  const moved = openAlert.score === null ? 0 : current.score - openAlert.score;
  if (!bandChanged && newRules.length === 0 && Math.abs(moved) < 5) return { kind: 'none' };
  const parts = [
    bandChanged ? `band ${alertBand.replace('_', ' ')} → ${current.band.replace('_', ' ')}` : null,
    Math.abs(moved) >= 1 ? `score ${moved > 0 ? '+' : ''}${Math.round(moved)} to ${Math.round(current.score)}` : null,
    newRules.length > 0 ? `now also: ${newRules.join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  return { kind: 'update', triggers: [...active.values()], reason: explainChange(ctx.baseline ?? ctx.peak ?? ctx.previous, current), changed: parts.join('; ') };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
