// The shadow step of a recomputation: every running shadow model scores the
// accounts its live model judges, from the same inputs, into shadow_scores.
// It runs after the main scoring and never touches snapshots or alerts; a
// failure here is logged and leaves the live run as it was.
//
// A shadow is scored as the live run scores its model: measures nothing feeds
// weigh 0 (derive-before-scoring.ts). Scored as written, such a measure only
// lowered the shadow's completeness, so a shadow read "insufficient data"
// where the live model, with the same inputs, gave a score.
import type { Prisma } from '../db/database.js';
import { definitionInUse, measuresNotInUse } from '../derived/derive-before-scoring.js';
import type { Logger } from '../logger.js';
import { loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { computeScore } from '../scoring/compute-score.js';
import { loadLatestObservations, withDerivedRenewal } from '../scoring-run/load-score-inputs.js';
import { accountsInScope } from '../tuning/model-scope.js';
import { runningShadows, type ShadowModel } from './shadow-store.js';

export async function scoreShadowModels(deps: { db: { prisma: Prisma }; logger: Logger }, asOf: Date, accountIds?: readonly number[]): Promise<number> {
  try {
    return await scoreShadows(deps.db.prisma, asOf, accountIds);
  } catch (error) {
    deps.logger.error('scoring shadow models failed; live scores are unaffected', { error });
    return 0;
  }
}

async function scoreShadows(prisma: Prisma, asOf: Date, accountIds?: readonly number[]): Promise<number> {
  const shadows = await shadowsAsScored(prisma, asOf);
  if (shadows.length === 0) return 0;
  const [models, metrics] = await Promise.all([loadActiveModels(prisma), loadMetricDefinitions(prisma)]);
  let scored = 0;
  for (const shadow of shadows) {
    const only = accountIds ? new Set(accountIds) : null;
    const accounts = (await accountsInScope(prisma, models, shadow.modelKey, { churned: 'exclude' })).filter((a) => !only || only.has(a.id));
    if (accounts.length === 0) continue;
    const latest = await loadLatestObservations(prisma, asOf, shadow.definition.measures.map((m) => m.metricKey), accounts.map((a) => a.id));
    const rows = accounts.map((a) => {
      const result = computeScore(shadow.definition, withDerivedRenewal(latest.get(a.id), { id: a.id, segment: a.segment, renewalDate: a.renewalDate }, asOf), metrics, asOf);
      return { accountId: a.id, score: result.score, band: result.band };
    });
    await prisma.$executeRaw`
      INSERT INTO shadow_scores (shadow_id, account_id, as_of, score, band)
      SELECT ${shadow.id}, t.a, ${asOf}, t.s, t.b
      FROM unnest(${rows.map((r) => r.accountId)}::int[], ${rows.map((r) => r.score)}::float8[], ${rows.map((r) => r.band)}::text[]) AS t(a, s, b)
      ON CONFLICT (shadow_id, account_id) DO UPDATE SET as_of = EXCLUDED.as_of, score = EXCLUDED.score, band = EXCLUDED.band`;
    scored += rows.length;
  }
  return scored;
}

/** The shadows running at `at`, each definition with the weights it is scored with. */
export async function shadowsAsScored(prisma: Prisma, at: Date): Promise<ShadowModel[]> {
  const shadows = await runningShadows(prisma, at);
  if (shadows.length === 0) return [];
  const notInUse = await measuresNotInUse(prisma, shadows.map((s) => s.definition));
  return shadows.map((s) => ({ ...s, definition: definitionInUse(s.definition, notInUse) }));
}
