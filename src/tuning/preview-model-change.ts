// What a model change would do before it is saved: band changes, biggest
// movers, and churn separation old vs new.
import type { Prisma } from '../db/database.js';
import { loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { computeScore } from '../scoring/compute-score.js';
import type { ModelDefinition, SnapshotBand } from '../scoring/types.js';
import { loadLatestObservations, withDerivedRenewal } from '../scoring-run/load-score-inputs.js';
import { evaluateModel, type Evaluation } from './evaluate-model.js';
import { accountsInScope } from './model-scope.js';

export interface Mover {
  name: string;
  before: number | null;
  after: number | null;
  bandBefore: SnapshotBand;
  bandAfter: SnapshotBand;
}

export interface ModelPreview {
  accounts: number;
  bandChanges: number;
  movers: Mover[];
  before: Evaluation;
  after: Evaluation;
}

export async function previewModelChange(prisma: Prisma, modelKey: string, candidate: ModelDefinition, now: Date): Promise<ModelPreview> {
  const models = await loadActiveModels(prisma);
  const current = models.byKey.get(modelKey);
  if (!current) throw new Error(`unknown model ${modelKey}`);
  const metrics = await loadMetricDefinitions(prisma);
  const accounts = await accountsInScope(prisma, models, modelKey, { churned: 'exclude' });
  const keys = [...new Set([...current.measures, ...candidate.measures].map((m) => m.metricKey))];
  const latest = await loadLatestObservations(prisma, now, keys, accounts.map((a) => a.id));
  const movers: (Mover & { delta: number })[] = [];
  let bandChanges = 0;
  for (const account of accounts) {
    const observations = withDerivedRenewal(latest.get(account.id), { id: account.id, segment: account.segment, renewalDate: account.renewalDate }, now);
    const before = computeScore(current, observations, metrics, now);
    const after = computeScore(candidate, observations, metrics, now);
    if (before.band !== after.band) bandChanges += 1;
    movers.push({ name: account.name, before: before.score, after: after.score, bandBefore: before.band, bandAfter: after.band, delta: Math.abs((after.score ?? 0) - (before.score ?? 0)) });
  }
  movers.sort((a, b) => b.delta - a.delta);
  const [beforeEval, afterEval] = await Promise.all([evaluateModel(prisma, modelKey, null, now), evaluateModel(prisma, modelKey, candidate, now)]);
  return {
    accounts: accounts.length,
    bandChanges,
    movers: movers.filter((m) => m.delta >= 0.5).slice(0, 5).map(({ delta: _d, ...m }) => m),
    before: beforeEval,
    after: afterEval,
  };
}
