// Shadow models on both databases: a new shadow replaces the running one, the
// shadow step scores accounts without touching live scores, ended shadows stop
// scoring, and `model evaluate` compares live and shadow on outcomes that
// arrived after the shadow started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { ensureCatalogueAndModels, loadActiveModels, stripVersion } from '../../../src/models/model-store.js';
import { compareShadows, describeShadowComparison } from '../../../src/shadow/compare-shadow.js';
import { scoreShadowModels } from '../../../src/shadow/score-shadows.js';
import { loadShadowScore, runningShadows, startShadow } from '../../../src/shadow/shadow-store.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { DECLINING, HEALTHY, setMetrics } from '../../support/seed.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');
const logger = createLogger({ level: 'error' });

describe.each(DATABASE_KINDS)('shadow models (%s)', (kind) => {
  let db: Database;
  const ids = new Map<string, number>();
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    const renewal = new Date(Date.UTC(2026, 10, 10));
    for (const [key, metrics] of [['KEEP', HEALTHY], ['LOST', DECLINING], ['LIVE', HEALTHY]] as const) {
      const a = await db.prisma.account.create({ data: { externalId: key, name: key, nameKey: key.toLowerCase() } });
      ids.set(key, a.id);
      // Inputs as they stood 90 days before the renewal; LIVE also has today's.
      await setMetrics(db, a.id, metrics, new Date(renewal.getTime() - 92 * DAY));
      if (key === 'LIVE') await setMetrics(db, a.id, metrics, new Date(now.getTime() - DAY));
    }
    await db.prisma.renewalOutcome.createMany({ data: [
      { accountId: ids.get('KEEP') ?? 0, renewalDate: renewal, outcome: 'renewed', source: 'test' },
      { accountId: ids.get('LOST') ?? 0, renewalDate: renewal, outcome: 'churned', source: 'test' },
      // Before the shadow began: not part of its comparison.
      { accountId: ids.get('KEEP') ?? 0, renewalDate: new Date(Date.UTC(2025, 10, 10)), outcome: 'renewed', source: 'test' },
    ] });
  });
  afterAll(async () => {
    await db.close();
  });

  it('scores running shadows beside the live model, replaces a running one, and compares them on later outcomes', async () => {
    const live = (await loadActiveModels(db.prisma)).byKey.get('default');
    if (!live) throw new Error('no default model');
    const candidate = { ...stripVersion(live), measures: live.measures.map((m) => ({ ...m, weight: m.metricKey === 'logins_30d' ? 50 : m.weight })) };
    const first = await startShadow(db.prisma, { definition: candidate, actor: 'U0ADMIN001', note: 'first', now: new Date(now.getTime() - 40 * DAY) });
    const second = await startShadow(db.prisma, { definition: candidate, actor: 'U0ADMIN001', note: 'second', now: new Date(now.getTime() - 20 * DAY) });
    expect((await runningShadows(db.prisma, now)).map((s) => s.id)).toEqual([second.id]);
    expect((await db.prisma.shadowModel.findUniqueOrThrow({ where: { id: first.id } })).stoppedAt).not.toBeNull();

    expect(await scoreShadowModels({ db, logger }, now)).toBe(3);
    const shadow = await loadShadowScore(db.prisma, ids.get('LIVE') ?? 0, now);
    expect(shadow?.score).toBeGreaterThan(70);
    expect(await db.prisma.accountScore.count()).toBe(0);
    // After it ends, it no longer scores nor shows.
    const later = new Date(second.endsAt.getTime() + DAY);
    expect(await scoreShadowModels({ db, logger }, later)).toBe(0);
    expect(await loadShadowScore(db.prisma, ids.get('LIVE') ?? 0, later)).toBeNull();

    const comparisons = await compareShadows(db.prisma, 'default', now);
    expect(comparisons.map((c) => [c.shadowId, c.churned, c.renewed])).toEqual([[second.id, 1, 1], [first.id, 1, 1]]);
    expect(describeShadowComparison(comparisons[0]!, now)).toBe(`  shadow #${second.id} (started 2026-10-31, running until 2026-11-30): 1 churned and 1 renewed since: ROC AUC live 1.00, shadow 1.00`);
    expect(describeShadowComparison(comparisons[1]!, now)).toMatch(/\(started 2026-10-11, stopped 2026-10-31\)/);
  });
});
