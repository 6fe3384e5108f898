// A shadow, and an admin's preview of a model change, are scored with the live
// run's weights for measures nothing feeds (issue 12's "not in use"), on both
// databases. Only orders and logins have
// any data here, so every other measure of the default model is not in use;
// scored as written, the shadow's completeness would be 40 / 114 = 0.35,
// below the model's 0.5, and it would read "insufficient data" where the live
// model gives a score from the same inputs. (The default model as written
// would be 26 / 100 = 0.26 complete: the preview's "before" read the same.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { ensureCatalogueAndModels, loadActiveModels, loadMetricDefinitions, stripVersion } from '../../../src/models/model-store.js';
import { computeScore } from '../../../src/scoring/compute-score.js';
import { loadLatestObservations } from '../../../src/scoring-run/load-score-inputs.js';
import { scoreShadowModels, shadowsAsScored } from '../../../src/shadow/score-shadows.js';
import { loadShadowScore, startShadow } from '../../../src/shadow/shadow-store.js';
import { evaluateModel } from '../../../src/tuning/evaluate-model.js';
import { previewModelChange } from '../../../src/tuning/preview-model-change.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { recomputeAt, setMetrics } from '../../support/seed.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');
const logger = createLogger({ level: 'error' });

describe.each(DATABASE_KINDS)('shadow scoring leaves out measures not in use (%s)', (kind) => {
  let db: Database;
  let accountId: number;
  const reweighed = async () => {
    const live = (await loadActiveModels(db.prisma)).byKey.get('default');
    if (!live) throw new Error('no default model');
    const weights: Record<string, number> = { logins_30d: 30, orders_30d: 10 };
    return { live, candidate: { ...stripVersion(live), measures: live.measures.map((m) => ({ ...m, weight: weights[m.metricKey] ?? m.weight })) } };
  };
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    // No renewal date, no sentiment, nothing else: only these two metrics are fed.
    accountId = (await db.prisma.account.create({ data: { externalId: 'ACME', name: 'Acme', nameKey: 'acme' } })).id;
    await setMetrics(db, accountId, { logins_30d: 115, orders_30d: 16 }, new Date(now.getTime() - DAY));
  });
  afterAll(async () => {
    await db.close();
  });

  it('gives the shadow the live completeness, and the score the formula gives over the measures in use', async () => {
    // csm_sentiment, fed by nothing, is in both models; the shadow reweighs the two fed measures.
    const { live, candidate } = await reweighed();
    expect(live.measures.find((m) => m.metricKey === 'csm_sentiment')?.weight).toBeGreaterThan(0);
    await startShadow(db.prisma, { definition: candidate, actor: 'U0ADMIN001', note: 'in use', now: new Date(now.getTime() - 2 * DAY) });

    await recomputeAt(db, now);
    const snapshot = await db.prisma.scoreSnapshot.findFirstOrThrow({ where: { accountId } });
    expect(snapshot.completeness).toBe(1);
    // Live by hand: logins (115 − 30) / (200 − 30) = 50 points at weight 12, orders (16 − 4) / (20 − 4) = 75 at 14.
    expect(snapshot.score).toBe(Math.round(((12 * 50 + 14 * 75) / 26) * 10) / 10);

    expect(await scoreShadowModels({ db, logger }, now)).toBe(1);
    const shadow = await loadShadowScore(db.prisma, accountId, now);
    // Shadow by hand: the same points at weights 30 and 10; 56.25 rounds to 56.3.
    expect(shadow).toMatchObject({ score: 56.3, band: 'watch' });

    // The definition the shadow step scored has the live run's completeness for this account.
    const [scored] = await shadowsAsScored(db.prisma, now);
    if (!scored) throw new Error('no running shadow');
    expect(scored.definition.measures.find((m) => m.metricKey === 'csm_sentiment')?.weight).toBe(0);
    const latest = await loadLatestObservations(db.prisma, now, scored.definition.measures.map((m) => m.metricKey), [accountId]);
    const result = computeScore(scored.definition, latest.get(accountId) ?? new Map(), await loadMetricDefinitions(db.prisma), now);
    expect(result).toMatchObject({ completeness: snapshot.completeness, score: shadow?.score });
  });

  it('previews the same change, and evaluates the live model, with the weights live scoring uses', async () => {
    const { candidate } = await reweighed();
    const preview = await previewModelChange(db.prisma, 'default', candidate, now);
    // Before: the live score Acme shows (63.5 by hand, as above); after: the shadow's 56.3.
    expect(preview).toMatchObject({ accounts: 1, bandChanges: 0, movers: [{ name: 'Acme', before: 63.5, after: 56.3, bandBefore: 'watch', bandAfter: 'watch' }] });
    // No churned account yet: Acme is judged today, and scored rather than left out.
    expect(await evaluateModel(db.prisma, 'default', null, now)).toEqual({ auc: null, churned: 0, retained: 1, unscored: 0 });
  });
});
