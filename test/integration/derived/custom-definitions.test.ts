// Every aggregation and filter of a definition, compiled and run on both
// databases against values computed by hand, with the window's edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { compileDefinition } from '../../../src/derived/compile-definition.js';
import { parseDerivedMetric } from '../../../src/derived/definition-schema.js';
import { defineDerivedMetric, loadDefinitions } from '../../../src/derived/definition-store.js';
import { previewDerivedMetric } from '../../../src/derived/preview-metric.js';
import { createEventSource } from '../../../src/events/event-sources.js';
import { ingestSegmentMessages } from '../../../src/events/ingest-messages.js';
import { ensureCatalogueAndModels } from '../../../src/models/model-store.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const NOW = new Date('2026-11-20T12:00:00Z');
let n = 0;
const purchase = (at: string, properties: Record<string, unknown>, userId = 'ann') => ({ type: 'track', event: 'Purchase', userId, timestamp: at, properties, messageId: `p${(n += 1)}` });

describe.each(DATABASE_KINDS)('definitions, aggregation by aggregation (%s)', (kind) => {
  let db: Database;
  let acme: number;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    const source = await createEventSource(db.prisma, { name: 'web' });
    const result = await ingestSegmentMessages({ prisma: db.prisma }, source, [
      { type: 'group', userId: 'ann', groupId: 'ACME', traits: { name: 'Acme' }, messageId: 'g', timestamp: '2026-01-01T00:00:00Z' },
      { type: 'group', userId: 'bo', groupId: 'ACME', messageId: 'g2', timestamp: '2026-01-01T00:00:00Z' },
      // A 7-day window at 2026-11-20T12:00 is 2026-11-14T00:00 … as-of.
      purchase('2026-11-13T23:59:59Z', { amount: 1000, plan: 'pro', tags: ['a'] }),
      purchase('2026-11-14T00:00:00Z', { amount: 10, plan: 'pro', tags: ['beta', 'x'], coupon: null }),
      purchase('2026-11-16T08:00:00Z', { amount: '20.5', plan: 'Enterprise Plus', coupon: 'XMAS' }),
      purchase('2026-11-18T08:00:00Z', { amount: 30, plan: 'basic', tags: ['beta'] }, 'bo'),
      purchase('2026-11-20T11:00:00Z', { amount: 'n/a', plan: 'pro' }, 'bo'),
      purchase('2026-11-20T12:30:00Z', { amount: 5000, plan: 'pro' }),
      // The 7 days before the window: 3 purchases.
      purchase('2026-11-08T08:00:00Z', { amount: 1 }),
      purchase('2026-11-09T08:00:00Z', { amount: 1 }),
    ], NOW);
    expect(result.refused).toBe(0);
    acme = (await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME' } })).id;
  });
  afterAll(async () => {
    await db.close();
  });

  const value = async (spec: Record<string, unknown>) => {
    const d = parseDerivedMetric({ metric: 'x_1', events: ['Purchase'], windowDays: 7, ...spec });
    const rows = await db.prisma.$queryRaw<{ account_id: number; v: number }[]>`SELECT * FROM (${compileDefinition(d, NOW, { kind: 'all' })}) q`;
    return rows.find((r) => r.account_id === acme)?.v ?? null;
  };

  it('count, sum, avg, latest and days_since_last over the window, its start included, after as-of excluded', async () => {
    expect(await value({ aggregation: { type: 'count' } })).toBe(4);
    // amounts 10, 20.5 (a numeric string), 30; "n/a" is not a number
    expect(await value({ aggregation: { type: 'sum', property: 'amount' } })).toBe(60.5);
    expect(await value({ aggregation: { type: 'avg', property: 'amount' } })).toBe(20.17);
    expect(await value({ aggregation: { type: 'latest', property: 'amount' } })).toBe(30);
    expect(await value({ aggregation: { type: 'latest', property: ['price', 'amount'] } })).toBe(30);
    expect(await value({ aggregation: { type: 'days_since_last' } })).toBe(0);
    expect(await value({ aggregation: { type: 'count_distinct', property: 'plan' } })).toBe(3);
  });

  it('each filter', async () => {
    const count = (where: unknown[]) => value({ where, aggregation: { type: 'count' } });
    expect(await count([{ property: 'plan', op: 'eq', value: 'pro' }])).toBe(2);
    expect(await count([{ property: 'plan', op: 'neq', value: 'pro' }])).toBe(2);
    expect(await count([{ property: 'plan', op: 'in', values: ['basic', 'Enterprise Plus'] }])).toBe(2);
    expect(await count([{ property: 'plan', op: 'contains', value: 'enterprise' }])).toBe(1);
    expect(await count([{ property: 'tags', op: 'contains', value: 'beta' }])).toBe(2);
    expect(await count([{ property: 'amount', op: 'gt', value: 20 }])).toBe(2);
    expect(await count([{ property: 'amount', op: 'lt', value: 20.5 }])).toBe(1);
    expect(await count([{ property: 'coupon', op: 'exists' }])).toBe(1);
    expect(await count([{ property: 'amount', op: 'eq', value: 10 }, { property: 'plan', op: 'eq', value: 'pro' }])).toBe(1);
  });

  it('ratio (with minus, per user) and pct_change against the window before', async () => {
    // 2 of 4 are "pro", 1 "basic": (2 − 1) / 4 × 100
    expect(await value({ aggregation: { type: 'ratio', numerator: [{ property: 'plan', op: 'eq', value: 'pro' }], minus: [{ property: 'plan', op: 'eq', value: 'basic' }] } })).toBe(25);
    // Each user's newest: ann's 20.5 Enterprise Plus, bo's n/a pro → 1 of 2 pro
    expect(await value({ latestPerUser: true, aggregation: { type: 'ratio', numerator: [{ property: 'plan', op: 'eq', value: 'pro' }] } })).toBe(50);
    // 4 purchases now against 3 the week before (its last one a second before this window opened)
    expect(await value({ aggregation: { type: 'pct_change', of: 'count' } })).toBe(33.33);
    // 60.5 against 1000 + 1 + 1
    expect(await value({ aggregation: { type: 'pct_change', of: 'sum', property: 'amount' } })).toBe(-93.96);
  });

  it('stores a definition for a metric in the catalogue only, and previews its value with the events behind it', async () => {
    await expect(defineDerivedMetric(db.prisma, { metric: 'purchases_7d', events: ['Purchase'], aggregation: { type: 'count' }, windowDays: 7 })).rejects.toThrow(/unknown metric "purchases_7d"/);
    const saved = await defineDerivedMetric(db.prisma, { metric: 'logins_30d', events: ['Purchase'], aggregation: { type: 'count' }, windowDays: 7 });
    expect(saved.replaced).toBe('built-in');
    const effective = (await loadDefinitions(db.prisma)).get('logins_30d');
    expect(effective?.origin).toBe('defined');
    const preview = await previewDerivedMetric(db.prisma, effective ?? { definition: saved.definition, origin: 'defined' }, acme, NOW);
    expect(preview.value).toBe(4);
    expect(preview.events.map((e) => e.timestamp.toISOString())).toEqual(['2026-11-20T11:00:00.000Z', '2026-11-18T08:00:00.000Z', '2026-11-16T08:00:00.000Z', '2026-11-14T00:00:00.000Z']);
  });
});
