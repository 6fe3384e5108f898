// The fair dataset on both databases: inputs as stored lead days before each
// outcome (never later values), churned_on as a churn, a passed renewal with
// no record left out, outcomes without fresh inputs excluded and counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { ensureCatalogueAndModels, loadActiveModels, loadMetricDefinitions } from '../../../src/models/model-store.js';
import { buildDataset } from '../../../src/outcomes/build-dataset.js';
import { loadOutcomes } from '../../../src/outcomes/load-outcomes.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { HEALTHY, DECLINING, setMetrics } from '../../support/seed.js';

const DAY = 86_400_000;
const NOW = new Date('2026-11-30T12:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe.each(DATABASE_KINDS)('outcome dataset (%s)', (kind) => {
  let db: Database;
  const ids = new Map<string, number>();
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    for (const [key, churnedOn, renewal] of [['RENEWS', null, '2027-03-01'], ['CHURNED', '2026-06-01', '2026-06-01'], ['SILENT', null, '2026-05-01'], ['STALE', null, '2027-02-01']] as const) {
      const a = await db.prisma.account.create({ data: { externalId: key, name: key, nameKey: key.toLowerCase(), churnedOn: churnedOn ? day(churnedOn) : null, renewalDate: day(renewal), customerSince: day('2022-01-01') } });
      ids.set(key, a.id);
    }
    // RENEWS renewed on 2026-03-01: healthy 90 days before; a collapse after the anchor must not be read.
    await setMetrics(db, ids.get('RENEWS') ?? 0, HEALTHY, new Date(day('2026-03-01').getTime() - 95 * DAY));
    await setMetrics(db, ids.get('RENEWS') ?? 0, DECLINING, new Date(day('2026-03-01').getTime() - 30 * DAY));
    // CHURNED (churned_on only) was declining 90 days before; SILENT's renewal passed with no record.
    await setMetrics(db, ids.get('CHURNED') ?? 0, DECLINING, new Date(day('2026-06-01').getTime() - 92 * DAY));
    await setMetrics(db, ids.get('SILENT') ?? 0, DECLINING, new Date(day('2026-05-01').getTime() - 92 * DAY));
    // STALE renewed on 2026-02-01 but its inputs are a year older than the anchor.
    await setMetrics(db, ids.get('STALE') ?? 0, HEALTHY, day('2025-06-01'));
    await db.prisma.renewalOutcome.createMany({ data: [
      { accountId: ids.get('RENEWS') ?? 0, renewalDate: day('2026-03-01'), outcome: 'renewed', source: 'test' },
      { accountId: ids.get('STALE') ?? 0, renewalDate: day('2026-02-01'), outcome: 'renewed', source: 'test' },
      // Renews next year: its anchor (90 days before) is in the future.
      { accountId: ids.get('RENEWS') ?? 0, renewalDate: day('2027-04-15'), outcome: 'renewed', source: 'test' },
    ] });
  });
  afterAll(async () => {
    await db.close();
  });

  it('builds rows from inputs stored at renewal − lead days, counts churned_on, and leaves out what it cannot judge', async () => {
    const models = await loadActiveModels(db.prisma);
    const model = models.byKey.get('default');
    if (!model) throw new Error('no default model');
    const known = await loadOutcomes(db.prisma, models, 'default');
    expect(known.outcomes.map((o) => [o.accountId, o.date.toISOString().slice(0, 10), o.churned, o.source])).toEqual([
      [ids.get('RENEWS'), '2026-03-01', false, 'outcome'],
      [ids.get('RENEWS'), '2027-04-15', false, 'outcome'],
      [ids.get('CHURNED'), '2026-06-01', true, 'churned_on'],
      [ids.get('STALE'), '2026-02-01', false, 'outcome'],
    ]);
    const dataset = await buildDataset(db.prisma, model, await loadMetricDefinitions(db.prisma), known.outcomes, known.accounts, 90, NOW);
    expect(dataset.notYetDue).toBe(1);
    expect(dataset.excluded).toEqual({ churned: 0, renewed: 1 });
    expect(dataset.rows.map((r) => [r.accountId, r.churned])).toEqual([[ids.get('RENEWS'), false], [ids.get('CHURNED'), true]]);
    const logins = model.measures.findIndex((m) => m.metricKey === 'logins_30d');
    const renewal = model.measures.findIndex((m) => m.metricKey === 'days_to_renewal');
    const [renews, churned] = dataset.rows;
    // The healthy values from before the anchor, not the collapse after it.
    expect(renews?.values[logins]).toBe(HEALTHY.logins_30d);
    expect(renews?.currentScore).toBeGreaterThan(churned?.currentScore ?? 100);
    // Days to renewal as it read at the anchor (90), for churned and renewed alike.
    expect(renews?.values[renewal]).toBe(90);
    expect(churned?.values[renewal]).toBe(90);
    // The account's recorded renewal date (a year on for the renewed account) is only a calendar quantity, checked for leaks.
    expect(renews?.calendar.daysToRecordedRenewal).toBe(90 + 365);
    expect(churned?.calendar.daysToRecordedRenewal).toBe(90);
  });
});
