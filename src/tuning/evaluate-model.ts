// How well a model (saved or candidate) separates churned from retained
// accounts: ROC AUC of the score 60 days before churn (churned) or today
// (retained), computed from stored observations so a candidate can be judged
// before it is saved.
import type { Prisma } from '../db/database.js';
import { loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { computeScore } from '../scoring/compute-score.js';
import { rocAuc } from '../scoring/roc-auc.js';
import type { ModelDefinition } from '../scoring/types.js';
import { loadLatestObservations, loadLatestObservationsAt, withDerivedRenewal } from '../scoring-run/load-score-inputs.js';
import { accountsInScope } from './model-scope.js';

const DAY_MS = 86_400_000;
export const LEAD_DAYS = 60;

export interface Evaluation {
  auc: number | null;
  churned: number;
  retained: number;
  /** Accounts left out because too little data was fresh at the judged date. */
  unscored: number;
}

export async function evaluateModel(prisma: Prisma, modelKey: string, candidate: ModelDefinition | null, now: Date): Promise<Evaluation> {
  const models = await loadActiveModels(prisma);
  const model = candidate ?? models.byKey.get(modelKey);
  if (!model) return { auc: null, churned: 0, retained: 0, unscored: 0 };
  const metrics = await loadMetricDefinitions(prisma);
  const keys = model.measures.map((m) => m.metricKey);
  const accounts = await accountsInScope(prisma, models, modelKey, { churned: 'any' });

  // Two queries whatever the number of churn dates: retained accounts judged
  // today (newest values), churned ones each at its churn date − 60 days.
  const judgedAt = (account: (typeof accounts)[number]) => new Date(account.churnedOn ? account.churnedOn.getTime() - LEAD_DAYS * DAY_MS : now.getTime());
  const retainedIds = accounts.filter((a) => !a.churnedOn).map((a) => a.id);
  const [today, past] = await Promise.all([
    loadLatestObservations(prisma, now, keys, retainedIds),
    loadLatestObservationsAt(prisma, accounts.filter((a) => a.churnedOn).map((a) => ({ accountId: a.id, asOf: judgedAt(a) })), keys),
  ]);
  const samples: { score: number; positive: boolean }[] = [];
  let unscored = 0;
  for (const account of accounts) {
    const asOf = judgedAt(account);
    const latest = (account.churnedOn ? past : today).get(account.id);
    const result = computeScore(model, withDerivedRenewal(latest, { id: account.id, segment: account.segment, renewalDate: account.renewalDate }, asOf), metrics, asOf);
    if (result.score === null) unscored += 1;
    else samples.push({ score: result.score, positive: account.churnedOn !== null });
  }
  const churned = samples.filter((s) => s.positive).length;
  return { auc: rocAuc(samples), churned, retained: samples.length - churned, unscored };
}

export function describeEvaluation(e: Evaluation): string {
  if (e.auc === null) return `not enough outcomes yet (${e.churned} churned, ${e.retained} retained accounts with enough data)`;
  return `ROC AUC ${e.auc.toFixed(2)} over ${e.churned} churned and ${e.retained} retained accounts (1.00 = every churned account scored lower ${LEAD_DAYS} days before churn; 0.50 = a coin flip)`;
}
