// What a model change would do before it is saved: band changes, biggest
// movers, and churn separation old vs new. Both models are scored as the live
// run would score them: measures nothing feeds weigh 0, so "before" is the
// score the account shows today and "after" the one it would show.
import type { Prisma } from '../db/database.js';
import { definitionInUse, measuresNotInUse } from '../derived/derive-before-scoring.js';
import { loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { computeScore } from '../scoring/compute-score.js';
import type { ModelDefinition, SnapshotBand } from '../scoring/types.js';
import { loadLatestObservations, withDerivedRenewal } from '../scoring-run/load-score-inputs.js';
import { evaluateModel, type Evaluation } from './evaluate-model.js';
import { accountsInScope } from './model-scope.js';

const MAX_MOVERS = 5;

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
  const [latest, notInUse] = await Promise.all([loadLatestObservations(prisma, now, keys, accounts.map((a) => a.id)), measuresNotInUse(prisma, [current, candidate])]);
  const [before, after] = [definitionInUse(current, notInUse), definitionInUse(candidate, notInUse)];
  const rows = accounts.map((account) => {
    const observations = withDerivedRenewal(latest.get(account.id), { id: account.id, segment: account.segment, renewalDate: account.renewalDate }, now);
    return { name: account.name, before: computeScore(before, observations, metrics, now), after: computeScore(after, observations, metrics, now) };
  });
  const [beforeEval, afterEval] = await Promise.all([evaluateModel(prisma, modelKey, null, now), evaluateModel(prisma, modelKey, candidate, now)]);
  return { accounts: accounts.length, ...summariseScoreChanges(rows), before: beforeEval, after: afterEval };
}

type Scored = { score: number | null; band: SnapshotBand };

/**
 * Pure: how many accounts change band, and the biggest movers (at least half a
 * point, largest first). An account losing or gaining a score altogether
 * (insufficient data) counts as moving from or to 0.
 */
export function summariseScoreChanges(rows: readonly { name: string; before: Scored; after: Scored }[], maxMovers = MAX_MOVERS): { bandChanges: number; movers: Mover[] } {
  const bandChanges = rows.filter((r) => r.before.band !== r.after.band).length;
  const movers = rows
    .map((r) => ({ name: r.name, before: r.before.score, after: r.after.score, bandBefore: r.before.band, bandAfter: r.after.band, delta: Math.abs((r.after.score ?? 0) - (r.before.score ?? 0)) }))
    .filter((m) => m.delta >= 0.5)
    .sort((a, b) => b.delta - a.delta || a.name.localeCompare(b.name))
    .slice(0, maxMovers)
    .map(({ delta: _delta, ...m }) => m);
  return { bandChanges, movers };
}
