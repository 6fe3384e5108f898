// How scores are kept, on both databases: metric_latest follows every write to
// the history (insert, re-send, update, delete); a run writes a snapshot only
// for accounts whose result changed; the current-score pointer never moves
// backwards; and scoring a past date reads the history, not today's values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { upsertObservations } from '../../../src/ingest/write-observations.js';
import { createLogger } from '../../../src/logger.js';
import { ensureCatalogueAndModels } from '../../../src/models/model-store.js';
import { loadLatestObservations } from '../../../src/scoring-run/load-score-inputs.js';
import { recomputeScores } from '../../../src/scoring-run/recompute.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const DAY = 86_400_000;
const t0 = new Date('2026-11-01T12:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const logger = createLogger({ level: 'error' });

describe.each(DATABASE_KINDS)('current scores and latest values (%s)', (kind) => {
  let db: Database;
  let a: number;
  let b: number;
  const latestRow = (accountId: number, metricKey: string) => db.prisma.metricLatest.findUnique({ where: { accountId_metricKey: { accountId, metricKey } } });
  const recompute = (asOf: Date, extra: { skipExisting?: boolean } = {}) => recomputeScores({ db, clock: () => asOf, logger }, { trigger: 'cli', asOf, ...extra });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    a = (await db.prisma.account.create({ data: { externalId: 'A', name: 'Alpha', nameKey: 'alpha' } })).id;
    b = (await db.prisma.account.create({ data: { externalId: 'B', name: 'Beta', nameKey: 'beta' } })).id;
    const rows = [a, b].flatMap((id) => [
      { accountId: id, metricKey: 'orders_30d', value: 12, observedAt: at(-10) },
      { accountId: id, metricKey: 'orders_30d', value: 15, observedAt: at(-2) },
      { accountId: id, metricKey: 'logins_30d', value: 150, observedAt: at(-2) },
      { accountId: id, metricKey: 'nps', value: 30, observedAt: at(-2) },
    ]);
    await upsertObservations(db.prisma, rows, 'test');
  });
  afterAll(async () => {
    await db.close();
  });

  it('keeps metric_latest equal to the newest observation through inserts, re-sends, updates and deletes', async () => {
    expect(await latestRow(a, 'orders_30d')).toMatchObject({ value: 15, observedAt: at(-2) });
    // An older observation arriving late changes nothing; a re-send of the newest replaces its value.
    await upsertObservations(db.prisma, [{ accountId: a, metricKey: 'orders_30d', value: 1, observedAt: at(-20) }], 'test');
    expect(await latestRow(a, 'orders_30d')).toMatchObject({ value: 15 });
    await upsertObservations(db.prisma, [{ accountId: a, metricKey: 'orders_30d', value: 16, observedAt: at(-2) }], 'test');
    expect(await latestRow(a, 'orders_30d')).toMatchObject({ value: 16, observedAt: at(-2) });
    // A hand edit re-dating the newest observation into the past, then deleting it: the history decides.
    await db.prisma.metricObservation.updateMany({ where: { accountId: a, metricKey: 'orders_30d', observedAt: at(-2) }, data: { observedAt: at(-30) } });
    expect(await latestRow(a, 'orders_30d')).toMatchObject({ value: 12, observedAt: at(-10) });
    await db.prisma.metricObservation.deleteMany({ where: { accountId: a, metricKey: 'orders_30d', observedAt: at(-10) } });
    // The late arrival (day −20) is now the newest; the re-dated one (day −30) is older.
    expect(await latestRow(a, 'orders_30d')).toMatchObject({ value: 1, observedAt: at(-20) });
    await db.prisma.metricObservation.deleteMany({ where: { accountId: a, metricKey: 'orders_30d' } });
    expect(await latestRow(a, 'orders_30d')).toBeNull();
    await upsertObservations(db.prisma, [{ accountId: a, metricKey: 'orders_30d', value: 15, observedAt: at(-2) }], 'test');
  });

  it('writes a snapshot only for accounts whose result changed', async () => {
    const first = await recompute(t0);
    expect(first).toMatchObject({ accountsScored: 2, snapshotsWritten: 2 });
    const quiet = await recompute(new Date(t0.getTime() + 15 * 60_000));
    expect(quiet).toMatchObject({ accountsScored: 2, snapshotsWritten: 0 });
    await upsertObservations(db.prisma, [{ accountId: b, metricKey: 'nps', value: -20, observedAt: at(0) }], 'test');
    const changed = await recompute(new Date(t0.getTime() + 30 * 60_000));
    expect(changed.snapshotsWritten).toBe(1);
    expect(await db.prisma.scoreSnapshot.count({ where: { accountId: b } })).toBe(2);
    expect(await db.prisma.scoreSnapshot.count({ where: { accountId: a } })).toBe(1);
    const pointer = await db.prisma.accountScore.findUniqueOrThrow({ where: { accountId: b }, include: { snapshot: true } });
    expect(pointer.snapshot.runId).toBe(changed.runId);
    expect(pointer.score).toBe(pointer.snapshot.score);
  });

  it('writes again when a measure goes stale with time, though no data arrived', async () => {
    // NPS is fresh for 90 days: 100 days on, the same data says something else.
    const later = await recompute(at(100));
    expect(later.snapshotsWritten).toBe(2);
  });

  it('adds history for a past date without moving the current score back', async () => {
    const before = await db.prisma.accountScore.findUniqueOrThrow({ where: { accountId: a } });
    const past = await recompute(at(-5), { skipExisting: true });
    expect(past.snapshotsWritten).toBe(2);
    expect(await db.prisma.scoreSnapshot.count({ where: { accountId: a, asOf: at(-5) } })).toBe(1);
    expect(await db.prisma.accountScore.findUniqueOrThrow({ where: { accountId: a } })).toEqual(before);
  });

  it('reads the history for a past date, and metric_latest for today', async () => {
    const keys = ['orders_30d', 'nps'];
    const past = await loadLatestObservations(db.prisma, at(-5), keys, [b]);
    expect(past.get(b)?.get('orders_30d')).toMatchObject({ value: 12, observedAt: at(-10) });
    expect(past.get(b)?.get('nps')).toBeUndefined();
    const today = await loadLatestObservations(db.prisma, at(1), keys, { kind: 'range', from: b, to: b });
    expect(today.get(b)?.get('nps')).toMatchObject({ value: -20, observedAt: at(0) });
    expect(today.has(a)).toBe(false);
  });
});
