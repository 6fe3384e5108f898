// From outcomes to a suggested weighting, with its evidence. Pure and seeded:
// the same outcomes and settings give the same suggestion, to the digit.
//
// 1. Calendar-determined measures are flagged and kept out of the fit.
// 2. The other measures' points (0–1, missing → the measure's mean) feed a
//    non-negative logistic fit pulled toward a prior ∝ each measure's own
//    AUC − 0.5; the pull λ is chosen by repeated stratified k-fold CV.
// 3. Weights are rounded to whole numbers summing to 100 (calendar measures
//    keep their current share), those under the minimum dropped.
// 4. Evidence: cross-validated scores of the suggested weighting (each fold
//    fitted without its own outcomes) against the current scores, on the same
//    outcomes; 95% intervals by a stratified bootstrap over accounts.
import { bandFor } from '../scoring/compute-score.js';
import { BANDS, type BandCutoffs } from '../scoring/types.js';
import { deriveSeed, seededRandom } from '../demo/seeded-random.js';
import { percentileInterval, stratifiedAccountBootstrap } from './bootstrap.js';
import { calendarReasonByData, calendarReasonByName } from './calendar-measures.js';
import { fitNonNegativeLogistic, fitPriorScale, logLoss, type Design, type LogisticFit } from './logistic-fit.js';
import { describeMeasures, measureAuc } from './measure-evidence.js';
import { roundWeights } from './round-weights.js';
import { scoreFromPoints } from './score-from-points.js';
import { stratifiedFolds } from './stratified-folds.js';
import { DEFAULT_SETTINGS, type BandRow, type CalibrationMeasure, type CalibrationRow, type CalibrationSettings, type Confidence, type Suggestion } from './types.js';
import { rankScores, weightedAuc } from './weighted-auc.js';

/** Fewer churned or renewed outcomes than this: evaluate only. */
export const MIN_PER_CLASS = 8;

export function confidenceFor(churned: number, renewed: number): Confidence {
  if (churned < MIN_PER_CLASS || renewed < MIN_PER_CLASS) return 'evaluate_only';
  if (churned < 20) return 'low';
  if (churned < 50) return 'medium';
  return 'high';
}

export interface SuggestInput {
  measures: readonly CalibrationMeasure[];
  rows: readonly CalibrationRow[];
  cutoffs: BandCutoffs;
  minCompleteness: number;
  settings?: Partial<CalibrationSettings>;
}

export function suggestWeights(input: SuggestInput): Suggestion {
  const settings: CalibrationSettings = { ...DEFAULT_SETTINGS, ...input.settings };
  const { measures, rows, cutoffs } = input;
  const churned = rows.map((r) => r.churned);
  const churnedCount = churned.filter(Boolean).length;
  const renewedCount = rows.length - churnedCount;
  const confidence = confidenceFor(churnedCount, renewedCount);
  const calendar = measures.map((m, j) => calendarReasonByName(m.metricKey, m.category) ?? calendarReasonByData(rows.map((r) => r.values[j] ?? null), rows.map((r) => r.calendar)));
  const fitted = measures.flatMap((_, j) => (calendar[j] === null ? [j] : []));
  const evidence = describeMeasures(measures, rows, calendar);
  const currentScores = rows.map((r) => r.currentScore);
  const bandsBefore = bandTable(currentScores, churned, cutoffs);
  const base = {
    churned: churnedCount,
    renewed: renewedCount,
    accounts: new Set(rows.map((r) => r.accountId)).size,
    confidence,
    bandsBefore,
    churnedFlaggedBefore: flaggedShare(currentScores, churned, cutoffs),
  };
  const noSuggestion = (reason: string, chosenLambda: number | null = null): Suggestion => ({
    ...base,
    noSuggestion: reason,
    weights: null,
    current: separation(currentScores, rows, settings),
    suggested: null,
    difference: null,
    verdict: null,
    bandsAfter: null,
    churnedFlaggedAfter: null,
    measures: evidence.map((e) => ({ ...e, suggestedWeight: null })),
    settings: { ...settings, chosenLambda, cutoffs },
  });
  if (confidence === 'evaluate_only') {
    return noSuggestion(`too few outcomes to learn from: ${churnedCount} churned and ${renewedCount} renewed (at least ${MIN_PER_CLASS} of each are needed)`);
  }
  if (fitted.length === 0) return noSuggestion('every measure of the model is set by the calendar: nothing to learn');

  const design = buildDesign(rows, fitted);
  const random = seededRandom(deriveSeed(settings.seed, 1));
  const lambda = choosePenalty(design, rows, fitted, settings, random);
  const final = fitWithPrior(design, rows, fitted, lambda, allRows(rows.length));
  const weights = toModelWeights(final.weights, fitted, measures, settings.minimumWeight);
  if (weights === null) return noSuggestion('no measure separates churned from renewed accounts better than chance: the fit gives every measure a weight of zero', lambda);

  // Out-of-fold scores: each fold's outcomes scored by weights fitted without them.
  const folds = stratifiedFolds(churned, settings.folds, seededRandom(deriveSeed(settings.seed, 2)));
  const suggestedScores: (number | null)[] = rows.map(() => null);
  for (let f = 0; f < settings.folds; f += 1) {
    const train = Int32Array.from(rows.flatMap((_, i) => (folds[i] !== f ? [i] : [])));
    const fit = fitWithPrior(design, rows, fitted, lambda, train);
    const foldWeights = toModelWeights(fit.weights, fitted, measures, settings.minimumWeight);
    rows.forEach((row, i) => {
      if (folds[i] !== f) return;
      suggestedScores[i] = foldWeights === null ? null : scoreFromPoints(measures.map((m) => foldWeights.get(m.metricKey) ?? 0), row.points, input.minCompleteness);
    });
  }
  // Outcomes a suggested weighting cannot score (its measures missing) are judged by the current score alone.
  const paired = rows.flatMap((_, i) => (suggestedScores[i] !== null ? [i] : []));
  const comparison = compare(paired.map((i) => currentScores[i] ?? 0), paired.map((i) => suggestedScores[i] ?? 0), paired.map((i) => rows[i] as CalibrationRow), settings);
  const after = rows.map((_, i) => suggestedScores[i] ?? null);
  return {
    ...base,
    noSuggestion: null,
    weights,
    current: comparison.current,
    suggested: comparison.suggested,
    difference: comparison.difference,
    verdict: comparison.difference.interval !== null && comparison.difference.interval.low > 0 ? 'likely_better' : 'not_proven',
    bandsAfter: bandTable(after, churned, cutoffs),
    churnedFlaggedAfter: flaggedShare(after, churned, cutoffs),
    measures: evidence.map((e) => ({ ...e, suggestedWeight: weights.get(e.metricKey) ?? 0 })),
    settings: { ...settings, chosenLambda: lambda, cutoffs },
  };
}

const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Points scaled to 0–1; a missing value takes the measure's mean (a label-free fill, so no outcome leaks in). */
function buildDesign(rows: readonly CalibrationRow[], fitted: readonly number[]): Design {
  const d = fitted.length;
  const x = new Float64Array(rows.length * d);
  fitted.forEach((j, k) => {
    let sum = 0;
    let count = 0;
    for (const row of rows) {
      const p = row.points[j];
      if (p !== null && p !== undefined) {
        sum += p;
        count += 1;
      }
    }
    const mean = count > 0 ? sum / count / 100 : 0.5;
    rows.forEach((row, i) => {
      const p = row.points[j];
      x[i * d + k] = p === null || p === undefined ? mean : p / 100;
    });
  });
  return { x, n: rows.length, d, y: Uint8Array.from(rows, (r) => (r.churned ? 1 : 0)) };
}

/** Prior ∝ each measure's own separation on the training rows (AUC − 0.5, never negative). */
function priorFor(rows: readonly CalibrationRow[], fitted: readonly number[], train: Int32Array): Float64Array {
  const raw = fitted.map((j) => Math.max(0, (measureAuc(rows, j, train) ?? 0.5) - 0.5));
  const sum = raw.reduce((a, b) => a + b, 0);
  return Float64Array.from(raw, (v) => (sum > 0 ? v / sum : 1 / raw.length));
}

function fitWithPrior(design: Design, rows: readonly CalibrationRow[], fitted: readonly number[], lambda: number, train: Int32Array, start?: LogisticFit): LogisticFit {
  const prior = priorFor(rows, fitted, train);
  const scale = fitPriorScale(design, prior, train);
  const target = Float64Array.from(prior, (p) => p * scale);
  return fitNonNegativeLogistic(design, { lambda, target, rows: train, ...(start ? { start } : {}) });
}

/** The λ with the lowest held-out log-loss over repeats × folds (ties: the stronger pull). */
function choosePenalty(design: Design, rows: readonly CalibrationRow[], fitted: readonly number[], settings: CalibrationSettings, random: () => number): number {
  const lambdas = [...settings.lambdas].sort((a, b) => b - a);
  const loss = lambdas.map(() => 0);
  const churned = rows.map((r) => r.churned);
  for (let r = 0; r < settings.repeats; r += 1) {
    const folds = stratifiedFolds(churned, settings.folds, random);
    for (let f = 0; f < settings.folds; f += 1) {
      const train = Int32Array.from(rows.flatMap((_, i) => (folds[i] !== f ? [i] : [])));
      const test = Int32Array.from(rows.flatMap((_, i) => (folds[i] === f ? [i] : [])));
      const prior = priorFor(rows, fitted, train);
      const scale = fitPriorScale(design, prior, train);
      const target = Float64Array.from(prior, (p) => p * scale);
      // Strongest pull first, each fit warm-started from the last: the path is cheap.
      let start: LogisticFit | undefined;
      lambdas.forEach((lambda, k) => {
        start = fitNonNegativeLogistic(design, { lambda, target, rows: train, ...(start ? { start } : {}) });
        loss[k] = (loss[k] ?? 0) + logLoss(design, start, test);
      });
    }
  }
  let best = 0;
  loss.forEach((l, k) => {
    if (l < (loss[best] ?? Infinity) - 1e-12) best = k;
  });
  return lambdas[best] ?? settings.lambdas[0] ?? 0.01;
}

/** Fitted coefficients → whole-number model weights summing to 100; calendar measures keep their current share. */
function toModelWeights(coefficients: Float64Array, fitted: readonly number[], measures: readonly CalibrationMeasure[], minimumWeight: number): Map<string, number> | null {
  const fittedSet = new Set(fitted);
  const currentTotal = measures.reduce((a, m) => a + Math.max(0, m.currentWeight), 0);
  const kept = measures.flatMap((m, j) => (fittedSet.has(j) || m.currentWeight <= 0 ? [] : [{ j, weight: currentTotal > 0 ? (m.currentWeight / currentTotal) * 100 : 0 }]));
  const keptRounded = roundWeights([...kept.map((k) => k.weight), 100 - kept.reduce((a, k) => a + k.weight, 0)], 100, 0);
  const learnedTotal = keptRounded[keptRounded.length - 1] ?? 100;
  if (Array.from(coefficients).every((c) => c <= 1e-9)) return null;
  const learned = roundWeights(Array.from(coefficients), learnedTotal, minimumWeight);
  const out = new Map<string, number>();
  kept.forEach((k, i) => out.set(measures[k.j]?.metricKey ?? '', keptRounded[i] ?? 0));
  fitted.forEach((j, k) => out.set(measures[j]?.metricKey ?? '', learned[k] ?? 0));
  return out;
}

function separation(scores: readonly number[], rows: readonly CalibrationRow[], settings: CalibrationSettings) {
  const churned = rows.map((r) => r.churned);
  const ranked = rankScores(scores);
  const values: number[] = [];
  stratifiedAccountBootstrap(rows.map((r) => r.accountId), churned, settings.bootstrapReplicates, seededRandom(deriveSeed(settings.seed, 3)), (counts) => {
    const auc = weightedAuc(ranked, churned, counts);
    if (auc !== null) values.push(auc);
  });
  return { auc: weightedAuc(ranked, churned, null), interval: percentileInterval(values) };
}

/** Both AUCs and their difference from the same bootstrap replicates (paired). */
function compare(current: readonly number[], suggested: readonly number[], rows: readonly CalibrationRow[], settings: CalibrationSettings) {
  const churned = rows.map((r) => r.churned);
  const rc = rankScores(current);
  const rs = rankScores(suggested);
  const a: number[] = [];
  const b: number[] = [];
  const diff: number[] = [];
  stratifiedAccountBootstrap(rows.map((r) => r.accountId), churned, settings.bootstrapReplicates, seededRandom(deriveSeed(settings.seed, 3)), (counts) => {
    const x = weightedAuc(rc, churned, counts);
    const y = weightedAuc(rs, churned, counts);
    if (x === null || y === null) return;
    a.push(x);
    b.push(y);
    diff.push(y - x);
  });
  const aucC = weightedAuc(rc, churned, null);
  const aucS = weightedAuc(rs, churned, null);
  return {
    current: { auc: aucC, interval: percentileInterval(a) },
    suggested: { auc: aucS, interval: percentileInterval(b) },
    difference: { estimate: (aucS ?? 0) - (aucC ?? 0), interval: percentileInterval(diff) },
  };
}

export function bandTable(scores: readonly (number | null)[], churned: readonly boolean[], cutoffs: BandCutoffs): BandRow[] {
  const rows: BandRow[] = [...BANDS, 'insufficient_data' as const].map((band) => ({ band, accounts: 0, churned: 0, churnRate: null }));
  scores.forEach((score, i) => {
    const band = score === null ? 'insufficient_data' : bandFor(score, cutoffs);
    const row = rows.find((r) => r.band === band);
    if (!row) return;
    row.accounts += 1;
    if (churned[i]) row.churned += 1;
  });
  for (const row of rows) row.churnRate = row.accounts > 0 ? row.churned / row.accounts : null;
  return rows.filter((r) => r.band !== 'insufficient_data' || r.accounts > 0);
}

function flaggedShare(scores: readonly (number | null)[], churned: readonly boolean[], cutoffs: BandCutoffs): number | null {
  let total = 0;
  let flagged = 0;
  scores.forEach((score, i) => {
    if (!churned[i]) return;
    total += 1;
    if (score !== null && (bandFor(score, cutoffs) === 'at_risk' || bandFor(score, cutoffs) === 'critical')) flagged += 1;
  });
  return total > 0 ? flagged / total : null;
}
