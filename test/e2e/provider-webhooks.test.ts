// Provider webhooks end to end on both databases: signed Shopify, Stripe,
// Zendesk and Segment (Webhooks Actions) deliveries through the real
// POST /webhooks/KIND/SOURCE of the running server, a recomputation, then
// /health through the real Bolt app showing the derived measures computed by
// hand. A forged or stale delivery gets 401 and stores nothing; a replay
// changes nothing; a delivery no account claims waits, and is attributed once
// an accounts import brings the alias.
import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api-tokens/api-tokens.js';
import { createEventSource } from '../../src/events/event-sources.js';
import { sourceActivity } from '../../src/events/source-activity.js';
import { describeSourceStatus } from '../../src/events/source-status.js';
import { importCsv } from '../../src/ingest/import-csv.js';
import { ensureCatalogueAndModels } from '../../src/models/model-store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { recomputeAt } from '../support/seed.js';
import { sendEvent, sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { fixtureJson } from '../unit/connectors/load-fixture.js';

const NOW = new Date('2026-11-20T15:20:06Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const SHOP_SECRET = 'shpss_e2e_shop_secret';
const STRIPE_SECRET = 'whsec_e2e_stripe_secret';
const ZENDESK_SECRET = 'zendesk_e2e_signing_secret';
const SEGMENT_SECRET = 'segment_e2e_shared_secret';
let replies = 0;

/** A Shopify order webhook for the fixture's B2B company (4503601), with our own id, time and total. */
function shopifyOrder(id: number, createdDaysAgo: number, total: string, cancelledDaysAgo?: number): Buffer {
  const order = {
    ...fixtureJson('shopify-orders-create.json'),
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    created_at: ago(createdDaysAgo),
    updated_at: ago(cancelledDaysAgo ?? createdDaysAgo),
    total_price: total,
    cancelled_at: cancelledDaysAgo === undefined ? null : ago(cancelledDaysAgo),
    unknown_future_field: { added: 'by Shopify next year' },
  };
  return Buffer.from(JSON.stringify(order));
}

function stripeEvent(id: string, type: string, invoice: string, customer: string, createdDaysAgo: number, email = 'billing@acme-industrial.com'): Buffer {
  const event = fixtureJson('stripe-invoice-payment-failed.json') as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
  return Buffer.from(
    JSON.stringify({ ...event, id, type, created: Math.floor((NOW.getTime() - createdDaysAgo * DAY) / 1000), data: { object: { ...event.data.object, id: invoice, customer, customer_email: email } } }),
  );
}

function zendeskEvent(id: string, type: 'created' | 'status_changed', ticket: string, daysAgo: number, extra: { tags?: string[]; previous?: string; current?: string }): Buffer {
  const base = fixtureJson('zendesk-ticket-created.json') as { detail: Record<string, unknown> } & Record<string, unknown>;
  return Buffer.from(
    JSON.stringify({
      ...base,
      id,
      type: `zen:event-type:ticket.${type}`,
      time: ago(daysAgo),
      detail: { ...base.detail, id: ticket, tags: extra.tags ?? [], type: 'QUESTION' },
      event: type === 'status_changed' ? { previous: extra.previous, current: extra.current } : {},
    }),
  );
}

describe.each(DATABASE_KINDS)('provider webhooks end to end (%s)', (kind) => {
  let t: TestServer;
  let apiToken: string;
  const send = (path: string, body: Buffer, headers: Record<string, string>) =>
    fetch(`${t.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const shopify = (body: Buffer, eventId: string, topic = 'orders/create', secret = SHOP_SECRET) =>
    send('/webhooks/shopify/shop', body, { 'x-shopify-topic': topic, 'x-shopify-event-id': eventId, 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64') });
  const stripe = (body: Buffer, signedAt = NOW, secret = STRIPE_SECRET) =>
    send('/webhooks/stripe/billing', body, { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret, timestamp: Math.floor(signedAt.getTime() / 1000) }) });
  const zendesk = (body: Buffer) => {
    const timestamp = NOW.toISOString();
    return send('/webhooks/zendesk/desk', body, { 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-signature': createHmac('sha256', ZENDESK_SECRET).update(timestamp).update(body).digest('base64') });
  };
  const events = () => t.db.prisma.event.findMany({ orderBy: { id: 'asc' } });
  const latest = async (externalId: string) => {
    const rows = await t.db.prisma.$queryRaw<{ metric_key: string; value: number }[]>`
      SELECT l.metric_key, l.value FROM metric_latest l JOIN accounts a ON a.id = l.account_id WHERE a.external_id = ${externalId} ORDER BY 1`;
    return Object.fromEntries(rows.map((r) => [r.metric_key, Math.round(r.value * 100) / 100]));
  };
  const status = async (name: string) => {
    const source = await t.db.prisma.eventSource.findFirstOrThrow({ where: { name } });
    return describeSourceStatus((await sourceActivity(t.db.prisma, NOW)).get(source.id));
  };

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => NOW, env: { ADMIN_USER_IDS: 'U0ADMIN001' } });
    await ensureCatalogueAndModels(t.db.prisma);
    await createEventSource(t.db.prisma, { name: 'shop', kind: 'shopify', secret: SHOP_SECRET });
    await createEventSource(t.db.prisma, { name: 'billing', kind: 'stripe', secret: STRIPE_SECRET });
    await createEventSource(t.db.prisma, { name: 'desk', kind: 'zendesk', secret: ZENDESK_SECRET });
    await createEventSource(t.db.prisma, { name: 'web', kind: 'segment', secret: SEGMENT_SECRET });
    apiToken = (await createApiToken(t.db.prisma, 'e2e')).token;
    await importCsv(
      t.db.prisma,
      'accounts',
      Readable.from(['external_id,name,domain,aliases\nA-1,Acme Industrial,acme-industrial.com,shopify:4503601;stripe:cus_NffrFeUfNV2Hib;zendesk:360012345\n']),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores signed Shopify orders against the account their company alias names; a replay changes nothing', async () => {
    const deliveries: [Buffer, string, string][] = [
      [shopifyOrder(1001, 5, '1000.00'), 'shop-evt-1', 'orders/create'],
      [shopifyOrder(1002, 10, '500.00'), 'shop-evt-2', 'orders/create'],
      [shopifyOrder(1003, 20, '300.00'), 'shop-evt-3', 'orders/create'],
      [shopifyOrder(1003, 20, '300.00', 2), 'shop-evt-4', 'orders/cancelled'],
      [shopifyOrder(1004, 120, '3600.00'), 'shop-evt-5', 'orders/create'],
    ];
    for (const [body, id, topic] of deliveries) {
      const res = await shopify(body, id, topic);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ stored: 1, duplicates: 0, waiting: 0 });
    }
    const before = await events();
    const first = deliveries[0] as [Buffer, string, string];
    const replay = await shopify(first[0], first[1], first[2]);
    expect(await replay.json()).toEqual({ stored: 0, duplicates: 1, waiting: 0 });
    expect(await events()).toEqual(before);
    const acme = await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } });
    expect(before.map((e) => [e.event, e.accountId])).toEqual([
      ['Order Completed', acme.id], ['Order Completed', acme.id], ['Order Completed', acme.id], ['Order Cancelled', acme.id], ['Order Completed', acme.id],
    ]);
  });

  it('answers 401 to a forged or stale delivery and stores nothing; 404 to an unknown source or the wrong kind', async () => {
    const before = await events();
    let res = await shopify(shopifyOrder(1999, 1, '9.00'), 'shop-forged', 'orders/create', 'a-guessed-secret');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "the X-Shopify-Hmac-Sha256 signature does not match this body and the source's secret" });
    res = await stripe(stripeEvent('evt_stale1', 'invoice.payment_failed', 'in_stale', 'cus_NffrFeUfNV2Hib', 1), new Date(NOW.getTime() - 600_000));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/is 600 s from now/);
    res = await send('/webhooks/shopify/nowhere', shopifyOrder(1998, 1, '9.00'), {});
    expect(res.status).toBe(404);
    res = await send('/webhooks/shopify/billing', shopifyOrder(1998, 1, '9.00'), {});
    expect(res.status).toBe(404);
    res = await send('/webhooks/salesforce/shop', shopifyOrder(1998, 1, '9.00'), {});
    expect(res.status).toBe(404);
    expect(await events()).toEqual(before);
    expect(await status('shop')).toMatch(/last 24 h: 5 accepted, 1 refused, 0 waiting for an account · last error \(2026-11-20T15:20:06Z\): the X-Shopify-Hmac-Sha256 signature does not match/);
  });

  it('stores late payments and tickets; refuses, naming the field, a payload missing what the mapping needs', async () => {
    for (const body of [
      stripeEvent('evt_late1', 'invoice.payment_failed', 'in_1', 'cus_NffrFeUfNV2Hib', 10),
      stripeEvent('evt_late2', 'invoice.payment_failed', 'in_1', 'cus_NffrFeUfNV2Hib', 8),
      stripeEvent('evt_late3', 'invoice.overdue', 'in_2', 'cus_NffrFeUfNV2Hib', 30),
      stripeEvent('evt_paid1', 'invoice.paid', 'in_3', 'cus_NffrFeUfNV2Hib', 3),
    ]) {
      const res = await stripe(body);
      expect(res.status).toBe(200);
    }
    for (const body of [
      zendeskEvent('zd-1', 'created', '501', 3, { tags: ['complaint'] }),
      zendeskEvent('zd-2', 'created', '502', 6, {}),
      zendeskEvent('zd-3', 'status_changed', '502', 1, { previous: 'open', current: 'solved' }),
      zendeskEvent('zd-4', 'created', '503', 100, {}),
    ]) {
      const res = await zendesk(body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ stored: 1, duplicates: 0, waiting: 0 });
    }
    const before = await events();
    const event = JSON.parse(stripeEvent('evt_nocus', 'invoice.payment_failed', 'in_9', 'cus_x', 1).toString()) as { data: { object: Record<string, unknown> } };
    delete event.data.object['customer'];
    const res = await stripe(Buffer.from(JSON.stringify(event)));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'data.object.customer is required', field: 'data.object.customer' });
    expect(await events()).toEqual(before);
    expect(await status('billing')).toMatch(/last message 2026-11-20T15:20:06Z · last 24 h: 4 accepted, 2 refused, 0 waiting for an account · last error .*: data.object.customer is required/);
  });

  it('keeps a delivery no account claims waiting, and attributes it once an accounts import brings the alias', async () => {
    const res = await stripe(stripeEvent('evt_globex1', 'invoice.overdue', 'in_g1', 'cus_Globex0001', 5, 'ap@globex.example'));
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0, waiting: 1 });
    expect(await status('billing')).toContain('5 accepted, 2 refused, 1 waiting for an account');
    const waiting = await t.db.prisma.event.findFirstOrThrow({ where: { messageId: 'evt_globex1' } });
    expect(waiting.accountId).toBeNull();

    const imported = await fetch(`${t.server.url}/api/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ external_id: 'GLOBEX', name: 'Globex', aliases: 'stripe:cus_Globex0001' }]),
    });
    expect(imported.status).toBe(200);
    const globex = await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'GLOBEX' } });
    expect((await t.db.prisma.event.findFirstOrThrow({ where: { messageId: 'evt_globex1' } })).accountId).toBe(globex.id);
    expect(await status('billing')).toContain('5 accepted, 2 refused, 0 waiting for an account');
  });

  it("stores Segment's Webhooks (Actions) deliveries as /v1/batch would, attributed by context.externalIds through the aliases", async () => {
    const body = Buffer.from(JSON.stringify([
      { type: 'track', event: 'Contact Logged', userId: 'jon', messageId: 'seg-1', timestamp: ago(2), context: { externalIds: [{ id: '360012345', type: 'zendesk_id', collection: 'accounts', encoding: 'none' }] } },
      { type: 'track', event: 'Contact Logged', userId: 'jon', messageId: 'seg-2', timestamp: ago(4), context: { groupId: 'A-1' }, somethingNew: true },
    ]));
    const sign = (b: Buffer, secret = SEGMENT_SECRET) => ({ 'x-signature': createHmac('sha1', secret).update(b).digest('hex') });
    let res = await send('/webhooks/segment/web', body, sign(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 2, duplicates: 0, waiting: 0, refused: [] });
    res = await send('/webhooks/segment/web', body, sign(body));
    expect(await res.json()).toEqual({ stored: 0, duplicates: 2, waiting: 0, refused: [] });
    res = await send('/webhooks/segment/web', body, sign(body, 'not-the-shared-secret'));
    expect(res.status).toBe(401);
    const acme = await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } });
    expect((await t.db.prisma.event.findMany({ where: { messageId: { in: ['seg-1', 'seg-2'] } } })).map((e) => e.accountId)).toEqual([acme.id, acme.id]);
  });

  it('/health shows orders, order value trend, late payments and open tickets as computed by hand', async () => {
    await recomputeAt(t.db, NOW);
    // orders_30d: 1001, 1002 and 1003 completed in 30 days, 1003 cancelled → 2.
    // order_value_trend_90d: 1000 + 500 + 300 = 1800 in the last 90 days against 3600 in the 90 before → −50 %.
    // late_payments_90d: in_1 (failed twice) and in_2 (overdue) → 2 distinct invoices; in_3 was paid.
    // open_support_tickets: 501 and 503 opened in the year, 502 closed → 2; complaints_90d: 501 → 1.
    expect(await latest('A-1')).toMatchObject({ orders_30d: 2, order_value_trend_90d: -50, late_payments_90d: 2, open_support_tickets: 2, complaints_90d: 1 });
    expect(await latest('GLOBEX')).toMatchObject({ late_payments_90d: 1 });
    replies += 1;
    const id = `wh${replies}`;
    const res = await sendSlashCommand(t.eventsUrl, { text: 'acme industrial', user_id: 'U0CSM00001', response_url: t.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === id));
    const text = JSON.stringify(reply.body);
    expect(text).toContain('*Orders (30 days)*: 2 orders (from events)');
    expect(text).toContain('*Order value trend (90 days)*: -50% (from events)');
    expect(text).toContain('*Late payments (90 days)*: 2 invoices (from events)');
    expect(text).toContain('*Open support tickets*: 2 tickets (from events)');
  });

  it('App Home shows admins the same per-source summary as `source list`, and nobody else', async () => {
    const homeText = async (user: string) => {
      const res = await sendEvent(t.eventsUrl, { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: '1.2' });
      expect(res.status).toBe(200);
      const publish = await t.fake.waitFor(() => t.fake.callsTo('views.publish').find((c) => c.args.user_id === user));
      return JSON.stringify(publish.args.view);
    };
    const admin = await homeText('U0ADMIN001');
    expect(admin).toContain('*Event sources* (admins)');
    expect(admin).toContain(`*billing* (stripe) — ${await status('billing')}`.replace(/"/g, '\\"'));
    expect(admin).toContain('*shop* (shopify) — last message 2026-11-20T15:20:06Z · last 24 h: 5 accepted, 1 refused, 0 waiting for an account');
    expect(await homeText('U0CSM00001')).not.toContain('Event sources');
  });
});
