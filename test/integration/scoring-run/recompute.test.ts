// Recompute on both databases: the stored scores equal what the pure engine
// computes, the segment model is used, churned accounts are skipped, and a
// failure leaves no snapshot behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { ensureCatalogueAndModels, InvalidModelError, listModelVersions, loadActiveModels, restoreModelVersion, saveModelVersion, stripVersion } from '../../../src/models/model-store.js';
import { decodeComponents } from '../../../src/scoring/component-codec.js';
import { backfillScores } from '../../../src/scoring-run/backfill.js';
import { recomputeScores, recomputeWithLock } from '../../../src/scoring-run/recompute.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const asOf = new Date('2026-11-01T12:00:00Z');
const day = (n: number) => new Date(asOf.getTime() - n * 86_400_000);
const logger = createLogger({ level: 'error' });

describe.each(DATABASE_KINDS)('recompute (%s)', (kind) => {
  let db: Database;
  const deps = () => ({ db, clock: () => asOf, logger });
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    const p = db.prisma;
    const smb = await p.account.create({ data: { externalId: 'smb-1', name: 'Small Shop', nameKey: 'small shop', segment: 'smb' } });
    const plain = await p.account.create({ data: { externalId: 'gen-1', name: 'Generic Co', nameKey: 'generic co' } });
    const gone = await p.account.create({ data: { externalId: 'gone-1', name: 'Gone Inc', nameKey: 'gone inc', churnedOn: new Date('2026-06-01'), renewalDate: new Date('2026-07-01') } });
    await p.account.create({ data: { externalId: 'empty-1', name: 'Empty Ltd', nameKey: 'empty ltd' } });
    const obs = (accountId: number, metricKey: string, value: number, at: Date) => ({ accountId, metricKey, value, observedAt: at, source: 'test' });
    await p.metricObservation.createMany({
      data: [
        // SMB model: orders good 30 poor 5 (w18), logins good 80 poor 10 (w12)
        obs(smb.id, 'orders_30d', 17.5, day(3)),
        obs(smb.id, 'orders_30d', 30, day(40)),
        obs(smb.id, 'logins_30d', 80, day(2)),
        // default model: orders good 20 poor 4 (w14), logins good 200 poor 30 (w12), stale tickets (14-day window)
        obs(plain.id, 'orders_30d', 4, day(1)),
        obs(plain.id, 'logins_30d', 200, day(1)),
        obs(plain.id, 'open_support_tickets', 9, day(20)),
      ],
    });
    // The lost customer once had data for every measure, so every measure is in use: missing data
    // counts against each account's completeness (a measure nobody feeds would leave the weights).
    const everyMetric = await p.metricDefinition.findMany({ where: { key: { not: 'days_to_renewal' } }, select: { key: true } });
    await p.metricObservation.createMany({ data: everyMetric.map((m) => obs(gone.id, m.key, 1, day(200))) });
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores the scores the engine computes, with the segment model, skipping churned accounts', async () => {
    const result = await recomputeScores(deps(), { trigger: 'cli' });
    expect(result.accountsScored).toBe(3);
    const snapshots = await db.prisma.scoreSnapshot.findMany({ where: { runId: result.runId }, include: { account: true } });
    const byName = new Map(snapshots.map((s) => [s.account.externalId, s]));
    expect(byName.has('gone-1')).toBe(false);
    // SMB: orders and logins fresh: weight 18+12 of 100 → completeness 0.3, under the 0.5 minimum
    expect(byName.get('smb-1')).toMatchObject({ score: null, band: 'insufficient_data' });
    expect(byName.get('smb-1')?.completeness).toBe(0.3);
    // default: orders 0 ×14, logins 100 ×12 → 1200/26 = 46.2; tickets stale
    expect(byName.get('gen-1')?.completeness).toBe(0.26);
    expect(byName.get('empty-1')).toMatchObject({ score: null, band: 'insufficient_data', completeness: 0 });
    const run = await db.prisma.scoreRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({ status: 'completed', accountsScored: 3 });
  });

  it('scores once completeness reaches the model minimum, with stale data reported', async () => {
    const models = await loadActiveModels(db.prisma);
    const lenient = { ...stripVersion(models.forSegment(null)), minCompleteness: 0.2 };
    await saveModelVersion(db.prisma, { definition: lenient, actor: 'U0ADMIN01', note: 'test' });
    const result = await recomputeScores(deps(), { trigger: 'cli' });
    const snap = await db.prisma.scoreSnapshot.findFirstOrThrow({ where: { runId: result.runId, account: { externalId: 'gen-1' } } });
    expect(snap.score).toBe(46.2);
    expect(snap.band).toBe('at_risk');
    const components = decodeComponents(snap.components);
    expect(components.find((c) => c.metricKey === 'open_support_tickets')).toMatchObject({ stale: true, points: null });
    expect(components[0]).toMatchObject({ metricKey: 'orders_30d', points: 0 });
  });

  it('rolls back every snapshot when the run fails, and records the failure', async () => {
    const before = await db.prisma.scoreSnapshot.count();
    const at = new Date('2026-11-01T13:00:00Z');
    await expect(
      recomputeScores(deps(), { trigger: 'cli', asOf: at, afterSnapshots: async () => { throw new Error('alert store down'); } }),
    ).rejects.toThrow('alert store down');
    expect(await db.prisma.scoreSnapshot.count()).toBe(before);
    const failed = await db.prisma.scoreRun.findFirstOrThrow({ where: { status: 'failed' }, orderBy: { id: 'desc' } });
    expect(failed.error).toBe('alert store down');
    expect(failed.startedAt.getTime()).toBeLessThanOrEqual(failed.finishedAt?.getTime() ?? 0);
  });

  it('backfills weekly snapshots from history and keeps existing ones', async () => {
    const results = await backfillScores(deps(), { from: day(42), to: day(0), stepDays: 7 });
    expect(results).toHaveLength(7);
    const dates = [42, 35, 28, 21, 14, 7, 0].map(day);
    const smbAt = () => db.prisma.scoreSnapshot.findMany({ where: { account: { externalId: 'smb-1' }, asOf: { in: dates } }, include: { run: true }, orderBy: { asOf: 'asc' } });
    const first = await smbAt();
    expect(first).toHaveLength(7);
    // as-of day 0 already had the recompute's snapshot: backfill kept it
    expect(first.map((s) => s.run.trigger)).toEqual(['backfill', 'backfill', 'backfill', 'backfill', 'backfill', 'backfill', 'cli']);
    // as-of day 42 precedes every observation; day 35 sees the 30 orders of day 40
    expect(first[0]?.completeness).toBe(0);
    expect(first[1]?.completeness).toBe(0.18);
    await backfillScores(deps(), { from: day(42), to: day(0), stepDays: 7 });
    expect((await smbAt()).map((s) => s.id)).toEqual(first.map((s) => s.id));
  });

  it('versions models: invalid saves write nothing, restore creates a new version', async () => {
    const models = await loadActiveModels(db.prisma);
    const current = models.forSegment('smb');
    const broken = { ...stripVersion(current), measures: current.measures.map((m) => ({ ...m, weight: 0 })) };
    await expect(saveModelVersion(db.prisma, { definition: broken, actor: 'U0ADMIN01', note: 'x' })).rejects.toBeInstanceOf(InvalidModelError);
    expect((await listModelVersions(db.prisma, 'smb')).length).toBe(1);
    const heavier = { ...stripVersion(current), measures: current.measures.map((m) => (m.metricKey === 'nps' ? { ...m, weight: 30 } : m)) };
    const v2 = await saveModelVersion(db.prisma, { definition: heavier, actor: 'U0ADMIN01', note: 'more NPS' });
    expect(v2.version).toBe(2);
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { entityId: 'smb', action: 'model.save' }, orderBy: { id: 'desc' } });
    expect(audit.actor).toBe('U0ADMIN01');
    expect(JSON.stringify(audit.after)).toContain('"weight":30');
    const v3 = await restoreModelVersion(db.prisma, { modelKey: 'smb', version: 1, actor: 'U0ADMIN01' });
    expect(v3.version).toBe(3);
    expect(v3.measures.find((m) => m.metricKey === 'nps')?.weight).toBe(8);
    await ensureCatalogueAndModels(db.prisma);
    expect((await loadActiveModels(db.prisma)).forSegment('smb').version).toBe(3);
  });

  it('lets only one recompute run at a time', async () => {
    let inner: Awaited<ReturnType<typeof recomputeWithLock>> | undefined;
    const outer = await recomputeWithLock(deps(), {
      trigger: 'schedule',
      asOf: new Date('2026-11-01T14:00:00Z'),
      afterSnapshots: async () => {
        inner = await recomputeWithLock(deps(), { trigger: 'schedule' });
        return { alertsOpened: 0 };
      },
    });
    expect(outer.ran).toBe(true);
    expect(inner).toEqual({ ran: false });
  });
});
