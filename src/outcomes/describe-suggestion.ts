// `model suggest` output: every figure of the evidence, for a terminal. Pure.
import type { BandRow, Confidence, MeasureEvidence, Separation } from '../calibration/types.js';
import type { Interval } from '../calibration/bootstrap.js';
import type { ModelSuggestion } from './suggest-model.js';

export const CONFIDENCE_TEXT: Record<Confidence, string> = {
  evaluate_only: 'evaluate only (fewer than 8 churned or 8 renewed outcomes): no suggestion',
  low: 'low (8–19 churned outcomes): try it in shadow first',
  medium: 'medium (20–49 churned outcomes)',
  high: 'high (50 or more churned outcomes)',
};

/** Overlapping measures named per line; the rest are counted. */
const MAX_OVERLAPS = 3;

export const BAND_LABEL: Record<BandRow['band'], string> = { healthy: 'healthy', watch: 'watch', at_risk: 'at risk', critical: 'critical', insufficient_data: 'too little data' };

export const auc2 = (n: number | null) => (n === null ? '—' : n.toFixed(2));
export const signed2 = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;
export const percent = (n: number | null) => (n === null ? '—' : `${Math.round(n * 100)}%`);
export const intervalText = (i: Interval | null, sign = false) => (i === null ? 'no interval' : `95% interval ${sign ? signed2(i.low) : i.low.toFixed(2)} to ${sign ? signed2(i.high) : i.high.toFixed(2)}`);

export function describeDirection(m: MeasureEvidence): string {
  if (m.calendar) return 'not learned: set by the calendar';
  if (m.direction === 'points_wrong_way') return 'points the wrong way';
  if (m.direction === 'no_signal') return 'no signal';
  if (m.direction === 'unknown') return 'too few values';
  return 'separates';
}

export function describeSuggestion(s: ModelSuggestion): string[] {
  const e = s.suggestion;
  const lines: string[] = [];
  lines.push(`Model ${s.model.key} v${s.model.version}: weights learned from renewal outcomes, each judged on the inputs stored ${s.leadDays} days before it.`);
  const left = e.churned + e.renewed;
  lines.push(`Outcomes: ${e.churned} churned and ${e.renewed} renewed on ${e.accounts} accounts (${left} of ${s.outcomes} known).`);
  if (s.excluded.churned + s.excluded.renewed > 0) lines.push(`  Left out for too little fresh data ${s.leadDays} days before: ${s.excluded.churned} churned, ${s.excluded.renewed} renewed.`);
  if (s.notYetDue > 0) lines.push(`  Not yet judged (less than ${s.leadDays} days of history before the outcome): ${s.notYetDue}.`);
  lines.push(`Confidence: ${CONFIDENCE_TEXT[e.confidence]}.`);
  lines.push('');
  lines.push('Separation (ROC AUC: 1.00 = every churned account scored lower than every renewed one; 0.50 = a coin flip):');
  lines.push(`  current weights    ${separationText(e.current)}`);
  if (e.suggested && e.difference) {
    lines.push(`  suggested weights  ${separationText(e.suggested)}  (cross-validated: each outcome scored by weights fitted without it)`);
    lines.push(`  difference         ${signed2(e.difference.estimate)}  (${intervalText(e.difference.interval, true)}): ${e.verdict === 'likely_better' ? 'likely better' : 'not proven'}`);
  }
  lines.push('');
  lines.push(`Bands ${s.leadDays} days before the outcome (outcomes / churned / churn rate)${e.bandsAfter ? ', current → suggested' : ''}:`);
  for (const row of e.bandsBefore) {
    const after = e.bandsAfter?.find((r) => r.band === row.band);
    lines.push(`  ${BAND_LABEL[row.band].padEnd(15)} ${bandCells(row)}${e.bandsAfter ? `  →  ${after ? bandCells(after) : bandCells({ ...row, accounts: 0, churned: 0, churnRate: null })}` : ''}`);
  }
  for (const row of e.bandsAfter ?? []) {
    if (!e.bandsBefore.some((b) => b.band === row.band)) lines.push(`  ${BAND_LABEL[row.band].padEnd(15)} ${bandCells({ ...row, accounts: 0, churned: 0, churnRate: null })}  →  ${bandCells(row)}`);
  }
  lines.push(`Churned outcomes that were at risk or critical: ${percent(e.churnedFlaggedBefore)}${e.bandsAfter ? ` → ${percent(e.churnedFlaggedAfter)}` : ''}`);
  lines.push('');
  lines.push(`Measures ${e.weights ? '(weight now → suggested)' : '(weight now)'}, own AUC, direction, missing, overlaps (|r| > 0.7):`);
  const width = Math.max(...e.measures.map((m) => m.metricKey.length), 8);
  for (const m of e.measures) {
    const weight = e.weights ? `${String(m.currentWeight).padStart(3)} → ${String(m.suggestedWeight ?? 0).padStart(3)}` : String(m.currentWeight).padStart(3);
    const strongest = [...m.overlaps].sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
    const overlaps = strongest.length === 0 ? '—' : `${strongest.slice(0, MAX_OVERLAPS).map((o) => `${o.metricKey} ${o.r.toFixed(2)}`).join(', ')}${strongest.length > MAX_OVERLAPS ? ` and ${strongest.length - MAX_OVERLAPS} more` : ''}`;
    lines.push(`  ${m.metricKey.padEnd(width)}  ${weight}  ${auc2(m.auc).padStart(4)}  ${describeDirection(m).padEnd(33)} ${percent(m.missingShare).padStart(4)} missing  ${overlaps}`);
    if (m.calendar) lines.push(`  ${''.padEnd(width)}  ${m.calendar}; kept at its current share, never fitted`);
  }
  lines.push('');
  const st = e.settings;
  lines.push(`Method: non-negative penalised logistic regression on each measure's points, pulled toward weights ∝ its own AUC − 0.5; penalty chosen by ${st.folds}-fold stratified cross-validation repeated ${st.repeats} times over ${st.lambdas.length} values${st.chosenLambda !== null ? ` (chose ${st.chosenLambda})` : ''}; intervals from ${st.bootstrapReplicates} stratified bootstrap replicates by account; seed ${st.seed}. Weights rounded to whole numbers summing to 100 (largest remainder), those under ${st.minimumWeight} dropped; thresholds and band cut-offs unchanged.`);
  if (e.noSuggestion) lines.push(`No suggestion: ${e.noSuggestion}. Nothing was changed.`);
  return lines;
}

function separationText(s: Separation): string {
  return `${auc2(s.auc)}  (${intervalText(s.interval)})`;
}

function bandCells(row: BandRow): string {
  return `${String(row.accounts).padStart(5)} ${String(row.churned).padStart(5)} ${percent(row.churnRate).padStart(5)}`;
}
