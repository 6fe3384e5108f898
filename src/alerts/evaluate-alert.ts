// The alert rules, pure: given an account's new snapshot, its last good state,
// its recent peak and any open alert, decide whether to open, update, resolve
// or stay quiet. A hysteresis buffer around band cut-offs keeps an account that
// hovers near a cut-off from flapping.
import type { AlertRuleConfig, Band, BandCutoffs, MeasureComponent, SnapshotBand } from '../scoring/types.js';
import type { AlertReason, AlertTrigger } from './alert-types.js';

const DAY_MS = 86_400_000;
const RANK: Record<Band, number> = { healthy: 0, watch: 1, at_risk: 2, critical: 3 };

export interface SnapshotLike {
  asOf: Date;
  score: number | null;
  band: SnapshotBand;
  components: readonly MeasureComponent[];
}

export interface AlertContext {
  config: AlertRuleConfig;
  cutoffs: BandCutoffs;
  current: SnapshotLike;
  /** The latest earlier snapshot in a good state (healthy/watch) since the last closed alert, else the earliest scored one. */
  baseline: SnapshotLike | null;
  /** Highest score within config.dropDays before current (since the last closed alert). */
  recentPeak: number | null;
  openAlert: { triggers: readonly AlertTrigger[]; band: string; score: number | null } | null;
  renewalDate: Date | null;
}

export type AlertDecision =
  | { kind: 'none' }
  | { kind: 'open'; triggers: AlertTrigger[]; reason: AlertReason }
  | { kind: 'update'; triggers: AlertTrigger[]; reason: AlertReason; changed: string }
  | { kind: 'resolve'; why: string };

function isBand(band: SnapshotBand): band is Band {
  return band !== 'insufficient_data';
}

/** The lowest score still inside a band. */
function lowerEdge(band: Band, cutoffs: BandCutoffs): number {
  return band === 'healthy' ? cutoffs.healthyMin : band === 'watch' ? cutoffs.watchMin : band === 'at_risk' ? cutoffs.atRiskMin : 0;
}

export function findTriggers(ctx: AlertContext): AlertTrigger[] {
  const { config, cutoffs, current, baseline } = ctx;
  if (!isBand(current.band) || current.score === null) return [];
  const triggers: AlertTrigger[] = [];
  const baseBand = baseline && isBand(baseline.band) ? baseline.band : null;

  if (config.bandWorsens && baseBand && RANK[current.band] > RANK[baseBand] && current.score <= lowerEdge(baseBand, cutoffs) - config.hysteresisPoints) {
    triggers.push({ rule: 'band_worsened', from: baseBand, to: current.band });
  }
  if (ctx.recentPeak !== null && ctx.recentPeak - current.score >= config.dropPoints) {
    triggers.push({ rule: 'score_dropped', points: round1(ctx.recentPeak - current.score), days: config.dropDays, fromScore: ctx.recentPeak, toScore: current.score });
  }
  if (config.measureCrossesPoor && baseline) {
    const before = new Map(baseline.components.map((c) => [c.metricKey, c]));
    for (const c of current.components) {
      const was = before.get(c.metricKey);
      if (c.points === 0 && c.value !== null && was && was.points !== null && was.points > 0) {
        triggers.push({ rule: 'measure_poor', metricKey: c.metricKey, value: c.value, poor: c.poor });
      }
    }
  }
  if (ctx.renewalDate && (current.band === 'at_risk' || current.band === 'critical')) {
    const days = Math.round((ctx.renewalDate.getTime() - current.asOf.getTime()) / DAY_MS);
    if (days >= 0 && days <= config.renewalDays) triggers.push({ rule: 'renewal_at_risk', daysToRenewal: days, band: current.band });
  }
  if (!baseline && (current.band === 'at_risk' || current.band === 'critical')) {
    triggers.push({ rule: 'first_scored_at_risk', band: current.band });
  }
  return triggers;
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

export function evaluateAlert(ctx: AlertContext): AlertDecision {
  const { current, openAlert, config, cutoffs } = ctx;
  // Too little data says nothing either way: keep whatever state there is.
  if (!isBand(current.band) || current.score === null) return { kind: 'none' };
  const triggers = findTriggers(ctx);

  if (!openAlert) {
    return triggers.length > 0 ? { kind: 'open', triggers, reason: explainChange(ctx.baseline, current) } : { kind: 'none' };
  }

  // Recovery needs the score back above the band edge it fell through, plus the buffer.
  const alertBand = openAlert.band === 'healthy' || openAlert.band === 'watch' || openAlert.band === 'at_risk' || openAlert.band === 'critical' ? openAlert.band : current.band;
  const fellFrom = ctx.baseline && isBand(ctx.baseline.band) && RANK[ctx.baseline.band] < RANK[alertBand] ? ctx.baseline.band : RANK[alertBand] >= RANK.at_risk ? 'watch' : alertBand;
  const recoveredAbove = lowerEdge(fellFrom, cutoffs) + config.hysteresisPoints;
  const onlyRenewal = triggers.every((t) => t.rule === 'renewal_at_risk');
  if ((triggers.length === 0 || (onlyRenewal && RANK[current.band] < RANK.at_risk)) && current.score >= recoveredAbove) {
    return { kind: 'resolve', why: `score recovered to ${Math.round(current.score)} (${current.band.replace('_', ' ')})` };
  }

  const previousRules = new Set(openAlert.triggers.map((t) => t.rule));
  const newRules = triggers.filter((t) => !previousRules.has(t.rule)).map((t) => t.rule.replace(/_/g, ' '));
  // Only a worse band is news by itself; improvements show once the score moves 5+ points or the alert resolves.
  const bandChanged = RANK[current.band] > RANK[alertBand];
  const moved = openAlert.score === null ? 0 : current.score - openAlert.score;
  if (!bandChanged && newRules.length === 0 && Math.abs(moved) < 5) return { kind: 'none' };
  const parts = [
    bandChanged ? `band ${openAlert.band.replace('_', ' ')} → ${current.band.replace('_', ' ')}` : null,
    Math.abs(moved) >= 1 ? `score ${moved > 0 ? '+' : ''}${Math.round(moved)} to ${Math.round(current.score)}` : null,
    newRules.length > 0 ? `now also: ${newRules.join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  return { kind: 'update', triggers: triggers.length > 0 ? triggers : [...openAlert.triggers], reason: explainChange(ctx.baseline, current), changed: parts.join('; ') };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
