// The derivation pass on both databases: each built-in definition against
// values computed by hand, window edges, zero counts for event-fed accounts,
// "not in use" measures, newer-wins against imported values, and ticks that
// re-derive only what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { deriveEventMetrics, findMetricsNotInUse } from '../../../src/derived/derive-metrics.js';
import { createEventSource } from '../../../src/events/event-sources.js';
import { ingestSegmentMessages } from '../../../src/events/ingest-messages.js';
import { ensureCatalogueAndModels } from '../../../src/models/model-store.js';
import { decodeComponents } from '../../../src/scoring/component-codec.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { recomputeAt } from '../../support/seed.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number, hours = 0) => new Date(NOW.getTime() - days * DAY - hours * 3_600_000).toISOString();
let n = 0;
const track = (userId: string, event: string, timestamp: string, properties: Record<string, unknown> = {}) => ({ type: 'track', userId, event, timestamp, properties, messageId: `m${(n += 1)}` });

describe.each(DATABASE_KINDS)('derivation pass (%s)', (kind) => {
  let db: Database;
  let sourceId: number;
  let acme: number;
  let globex: number;
  const send = (messages: unknown[], at = NOW) => ingestSegmentMessages({ prisma: db.prisma }, { id: sourceId }, messages, at);
  const latest = async (accountId: number) => {
    const rows = await db.prisma.$queryRaw<{ metric_key: string; value: number; source: string }[]>`
      SELECT l.metric_key, l.value, o.source FROM metric_latest l JOIN metric_observations o USING (account_id, metric_key, observed_at) WHERE l.account_id = ${accountId}`;
    return Object.fromEntries(rows.map((r) => [r.metric_key, `${r.value} ${r.source}`]));
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    sourceId = (await createEventSource(db.prisma, { name: 'web' })).id;
    const result = await send([
      { type: 'group', userId: 'ann', groupId: 'ACME', traits: { name: 'Acme' }, messageId: 'g1', timestamp: ago(200) },
      { type: 'group', userId: 'gus', groupId: 'GLOBEX', traits: { name: 'Globex' }, messageId: 'g2', timestamp: ago(200) },
      // logins_30d: the window is today plus the 29 days before (from 2026-10-22T00:00Z) up to as-of.
      track('ann', 'Signed In', '2026-10-22T00:00:00Z'),
      track('ann', 'Signed In', '2026-10-21T23:59:59Z'),
      track('ann', 'Signed In', ago(0, 1)),
      track('ann', 'Signed In', ago(0, -1)),
      // orders_30d: A1 twice, A2, A3 cancelled → 2; the trend sums totals: now 100+100+50+30 = 280 against 200 → +40%.
      track('ann', 'Order Completed', ago(1), { order_id: 'A1', total: 100 }),
      track('ann', 'Order Completed', ago(2), { order_id: 'A1', total: 100 }),
      track('ann', 'Order Completed', ago(3), { order_id: 'A2', total: '50' }),
      track('ann', 'Order Completed', ago(4), { order_id: 'A3', total: 30 }),
      track('ann', 'Order Cancelled', ago(3), { order_id: 'A3' }),
      track('ann', 'Order Completed', ago(100), { order_id: 'B1', revenue: 200 }),
      // late_payments_90d: I1 (twice), I2 → 2; I3 too old.
      track('ann', 'Invoice Overdue', ago(5), { invoice_id: 'I1' }),
      track('ann', 'Invoice Payment Failed', ago(4), { invoice_id: 'I1' }),
      track('ann', 'Invoice Payment Failed', ago(6), { invoice_id: 'I2' }),
      track('ann', 'Invoice Overdue', ago(95), { invoice_id: 'I3' }),
      track('ann', 'Invoice Paid', ago(2), { invoice_id: 'I1' }),
      // feature_adoption_pct: 4 features used in 45 days by anyone; Acme 2 → 50, Globex 3 → 75.
      track('ann', 'Feature Used', ago(1), { feature: 'a' }),
      track('ann', 'Feature Used', ago(2), { feature: 'b' }),
      track('gus', 'Feature Used', ago(1), { feature: 'b' }),
      track('gus', 'Feature Used', ago(1), { feature: 'c' }),
      track('gus', 'Feature Used', ago(3), { feature: 'd' }),
      track('gus', 'Feature Used', ago(50), { feature: 'e' }),
      // open_support_tickets: T1 closed after opening; T2's close came before it was opened → T2, T3 open.
      track('ann', 'Ticket Opened', ago(10), { ticket_id: 'T1' }),
      track('ann', 'Ticket Closed', ago(9), { ticket_id: 'T1' }),
      track('ann', 'Ticket Closed', ago(12), { ticket_id: 'T2' }),
      track('ann', 'Ticket Opened', ago(8), { ticket_id: 'T2' }),
      track('ann', 'Ticket Opened', ago(7), { ticket_id: 'T3', type: 'complaint' }),
      track('ann', 'Ticket Opened', ago(100), { ticket_id: 'T4', type: 'complaint' }),
      track('ann', 'Ticket Closed', ago(99), { ticket_id: 'T4' }),
      // nps over each user's latest answer in 120 days: u1 10, u2 5, u3 8, u5 9 → (2 − 1) / 4 = 25.
      track('u1', 'NPS Survey Answered', ago(60), { score: 3, account_id: 'ACME' }),
      track('u1', 'NPS Survey Answered', ago(10), { score: 10, account_id: 'ACME' }),
      track('u2', 'NPS Survey Answered', ago(10), { score: 5, account_id: 'ACME' }),
      track('u3', 'NPS Survey Answered', ago(10), { score: 8, account_id: 'ACME' }),
      track('u4', 'NPS Survey Answered', ago(130), { score: 0, account_id: 'ACME' }),
      track('u5', 'NPS Survey Answered', ago(10), { score: 9, account_id: 'ACME' }),
      // csat: 5, 4, 2 → 66.67
      track('ann', 'CSAT Rated', ago(3), { rating: 5 }),
      track('ann', 'CSAT Rated', ago(3), { rating: 4 }),
      track('ann', 'CSAT Rated', ago(3), { rating: 2 }),
      // days_since_last_contact: 3 days 18 hours → 3
      track('ann', 'Contact Logged', '2026-11-16T18:00:00Z'),
    ]);
    expect(result.refused).toBe(0);
    acme = (await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME' } })).id;
    globex = (await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'GLOBEX' } })).id;
  });
  afterAll(async () => {
    await db.close();
  });

  it('derives every built-in metric as computed by hand, dated at the start of the as-of day', async () => {
    const result = await deriveEventMetrics(db.prisma, NOW);
    expect(result.mode).toBe('full');
    expect(await latest(acme)).toEqual({
      logins_30d: '2 events',
      orders_30d: '2 events',
      order_value_trend_90d: '40 events',
      late_payments_90d: '2 events',
      feature_adoption_pct: '50 events',
      open_support_tickets: '2 events',
      complaints_90d: '1 events',
      nps: '25 events',
      csat: '66.67 events',
      days_since_last_contact: '3 events',
    });
    // Globex sends events but no logins, tickets or orders: real zeros; no ratings, no survey, no contact: no value.
    expect(await latest(globex)).toEqual({
      logins_30d: '0 events', orders_30d: '0 events', late_payments_90d: '0 events', feature_adoption_pct: '75 events',
      open_support_tickets: '0 events', complaints_90d: '0 events',
    });
    const dated = await db.prisma.metricObservation.findMany({ where: { accountId: acme }, select: { observedAt: true }, distinct: ['observedAt'] });
    expect(dated.map((d) => d.observedAt.toISOString())).toEqual(['2026-11-20T00:00:00.000Z']);
  });

  it('a tick the same day re-derives only accounts whose events changed; a quiet tick does nothing', async () => {
    const later = new Date(NOW.getTime() + 15 * 60_000);
    await send([track('ann', 'Signed In', later.toISOString())], later);
    const tick = await deriveEventMetrics(db.prisma, later, { commitMarginMs: 0 });
    expect(tick).toMatchObject({ mode: 'incremental', accounts: 1 });
    expect((await latest(acme))['logins_30d']).toBe('3 events');
    const quietAt = new Date(later.getTime() + 6 * 60_000 + 5 * 60_000);
    expect(await deriveEventMetrics(db.prisma, quietAt, { commitMarginMs: 0 })).toMatchObject({ mode: 'idle', written: 0 });
  });

  it('an imported value dated later wins; the next day the derived value is newer and wins', async () => {
    await db.prisma.metricObservation.create({ data: { accountId: acme, metricKey: 'logins_30d', value: 99, observedAt: new Date(NOW.getTime() + 3_600_000), source: 'csv' } });
    await deriveEventMetrics(db.prisma, new Date(NOW.getTime() + 2 * 3_600_000));
    expect((await latest(acme))['logins_30d']).toBe('99 csv');
    const tomorrow = new Date(NOW.getTime() + DAY);
    expect(await deriveEventMetrics(db.prisma, tomorrow)).toMatchObject({ mode: 'full' });
    // Tomorrow the window starts 2026-10-23: the 10-22 login falls out, the one dated an hour after yesterday's as-of counts.
    expect((await latest(acme))['logins_30d']).toBe('3 events');
  });

  it('measures nobody sends data for are not in use, and scoring leaves them out of the weights', async () => {
    expect([...(await findMetricsNotInUse(db.prisma, ['logins_30d', 'csm_sentiment', 'days_to_renewal']))].sort()).toEqual(['csm_sentiment', 'days_to_renewal']);
    await recomputeAt(db, new Date(NOW.getTime() + DAY + 60_000));
    const snapshot = await db.prisma.scoreSnapshot.findFirstOrThrow({ where: { accountId: acme }, orderBy: { asOf: 'desc' } });
    const components = decodeComponents(snapshot.components);
    expect(components.find((c) => c.metricKey === 'csm_sentiment')).toMatchObject({ weight: 0, value: null });
    expect(components.find((c) => c.metricKey === 'logins_30d')?.weight).toBeGreaterThan(0);
    // Every measure in use has fresh data for Acme: completeness is whole.
    expect(snapshot.completeness).toBe(1);
  });
});
