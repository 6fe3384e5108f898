// How well a model (saved or candidate) separates churned from retained
// accounts, computed from stored observations so a candidate can be judged
// before it is saved. With renewal outcomes recorded, every outcome — churned
// and renewed alike — is judged on the inputs stored 90 days before it (the
// fair dataset of `model suggest`). Without any, the older comparison remains:
// churned accounts 60 days before churn against retained accounts today,
// which flatters a model (churned accounts are all judged at one distance from
// renewal), and says so. That comparison scores as the live run does (measures
// nothing feeds weigh 0). The outcomes dataset scores the model as written: its
// days to renewal come from outcome dates, not accounts' renewal dates, so the
// live rule for that measure does not carry over as it is.
import type { Prisma } from '../db/database.js';
import { definitionInUse, measuresNotInUse } from '../derived/derive-before-scoring.js';
import { loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { computeScore } from '../scoring/compute-score.js';
import { rocAuc } from '../scoring/roc-auc.js';
import type { ModelDefinition } from '../scoring/types.js';
import { loadLatestObservations, loadLatestObservationsAt, withDerivedRenewal } from '../scoring-run/load-score-inputs.js';
import { accountsInScope } from './model-scope.js';
import { buildDataset } from '../outcomes/build-dataset.js';
import { loadOutcomes } from '../outcomes/load-outcomes.js';
import { DEFAULT_LEAD_DAYS } from '../outcomes/suggest-model.js';

const DAY_MS = 86_400_000;
export const LEAD_DAYS = 60;

export interface Evaluation {
  /** "outcomes": renewal outcomes, each judged lead days before; "churned_on": the older churned-vs-today comparison. */
  basis?: 'outcomes' | 'churned_on';
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
  if (await hasRecordedOutcomes(prisma, models, modelKey)) {
    const known = await loadOutcomes(prisma, models, modelKey);
    const dataset = await buildDataset(prisma, model, metrics, known.outcomes, known.accounts, DEFAULT_LEAD_DAYS, now);
    const churned = dataset.rows.filter((r) => r.churned).length;
    return {
      basis: 'outcomes',
      auc: rocAuc(dataset.rows.map((r) => ({ score: r.currentScore, positive: r.churned }))),
      churned,
      retained: dataset.rows.length - churned,
      unscored: dataset.excluded.churned + dataset.excluded.renewed,
    };
  }
  const keys = model.measures.map((m) => m.metricKey);
  const scored = definitionInUse(model, await measuresNotInUse(prisma, [model]));
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
    const result = computeScore(scored, withDerivedRenewal(latest, { id: account.id, segment: account.segment, renewalDate: account.renewalDate }, asOf), metrics, asOf);
    if (result.score === null) unscored += 1;
    else samples.push({ score: result.score, positive: account.churnedOn !== null });
  }
  const churned = samples.filter((s) => s.positive).length;
  return { auc: rocAuc(samples), churned, retained: samples.length - churned, unscored };
}

async function hasRecordedOutcomes(prisma: Prisma, models: Awaited<ReturnType<typeof loadActiveModels>>, modelKey: string): Promise<boolean> {
  const ids = (await accountsInScope(prisma, models, modelKey, { churned: 'any' })).map((a) => a.id);
  return (await prisma.renewalOutcome.count({ where: { accountId: { in: ids } }, take: 1 })) > 0;
}

export function describeEvaluation(e: Evaluation): string {
  if (e.basis === 'outcomes') {
    if (e.auc === null) return `not enough outcomes yet (${e.churned} churned, ${e.retained} renewed outcomes with enough data ${DEFAULT_LEAD_DAYS} days before)`;
    return `ROC AUC ${e.auc.toFixed(2)} over ${e.churned} churned and ${e.retained} renewed outcomes, each scored ${DEFAULT_LEAD_DAYS} days before its renewal (1.00 = every churned account scored lower; 0.50 = a coin flip)`;
  }
  if (e.auc === null) return `not enough outcomes yet (${e.churned} churned, ${e.retained} retained accounts with enough data)`;
  return `ROC AUC ${e.auc.toFixed(2)} over ${e.churned} churned and ${e.retained} retained accounts (1.00 = every churned account scored lower ${LEAD_DAYS} days before churn; 0.50 = a coin flip)`;
}
