// A provider delivery end to end short of HTTP, on both databases: signature
// first, then the payload, then the account through real aliases; a forged or
// stale delivery stores nothing, a replay changes nothing, an unmatched one waits.
import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAttribution } from '../../../src/accounts/alias-store.js';
import { receiveWebhook, type ReceiveWebhookDeps } from '../../../src/connectors/receive-webhook.js';
import type { Database } from '../../../src/db/database.js';
import { importCsv } from '../../../src/ingest/import-csv.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { MemoryIntake } from '../../support/memory-intake.js';
import { fixtureBytes } from '../../unit/connectors/load-fixture.js';

const SHOP_SECRET = 'shpss_integration_secret';
const STRIPE_SECRET = 'whsec_integration_secret';
const ZENDESK_SECRET = 'zendesk_integration_secret';
const SEGMENT_SECRET = 'segment_integration_secret';

describe.each(DATABASE_KINDS)('receiving provider webhooks (%s)', (kind) => {
  let db: Database;
  let intake: MemoryIntake;
  let now = new Date('2026-11-20T15:20:06Z');
  let deps: ReceiveWebhookDeps;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    intake = new MemoryIntake();
    intake.addSource('shop', 'shopify', SHOP_SECRET);
    intake.addSource('billing', 'stripe', STRIPE_SECRET);
    intake.addSource('desk', 'zendesk', ZENDESK_SECRET);
    intake.addSource('web', 'segment', SEGMENT_SECRET);
    deps = { intake, resolve: async (hints) => (await resolveAttribution(db.prisma, hints))?.externalId ?? null, clock: () => now };
    await importCsv(db.prisma, 'accounts', Readable.from(['external_id,name,domain,aliases\nA-1,Acme Industrial,acme-industrial.com,shopify:4503601;zendesk:360012345\n']));
  });
  afterAll(async () => {
    await db.close();
  });

  const shopify = (body: Buffer, secret = SHOP_SECRET) => ({
    rawBody: body,
    headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-event-id': 'evt-shop-1', 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64') },
  });

  it('stores a signed Shopify order against the account its company alias names; a replay changes nothing', async () => {
    const body = fixtureBytes('shopify-orders-create.json');
    expect(await receiveWebhook(deps, 'shopify', 'shop', shopify(body))).toEqual({ status: 200, body: { stored: 1, duplicates: 0, waiting: 0 } });
    expect(await receiveWebhook(deps, 'shopify', 'shop', shopify(body))).toEqual({ status: 200, body: { stored: 0, duplicates: 1, waiting: 0 } });
    expect([...intake.events.values()].map((e) => [e.accountExternalId, (e.message as { event: string }).event])).toEqual([['A-1', 'Order Completed']]);
  });

  it('answers 401 and stores nothing for a forged or stale delivery, and counts it', async () => {
    const before = intake.events.size;
    const forged = await receiveWebhook(deps, 'shopify', 'shop', shopify(Buffer.from('{"id":1}'), 'guessed'));
    expect(forged).toEqual({ status: 401, body: { error: 'the X-Shopify-Hmac-Sha256 signature does not match this body and the source\'s secret' } });
    const body = fixtureBytes('stripe-invoice-payment-failed.json');
    const signedLongAgo = Stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret: STRIPE_SECRET, timestamp: Math.floor(now.getTime() / 1000) - 600 });
    const stale = await receiveWebhook(deps, 'stripe', 'billing', { rawBody: body, headers: { 'stripe-signature': signedLongAgo } });
    expect(stale.status).toBe(401);
    expect(stale.body.error).toMatch(/timestamp .* is 600 s from now/);
    expect(intake.events.size).toBe(before);
    expect(intake.refusals.map((r) => r.sourceId)).toEqual([1, 2]);
    expect(await receiveWebhook(deps, 'shopify', 'nope', shopify(Buffer.from('{}')))).toMatchObject({ status: 404 });
    expect(await receiveWebhook(deps, 'paypal', 'shop', shopify(Buffer.from('{}')))).toMatchObject({ status: 404 });
  });

  it('keeps an unmatched Stripe invoice waiting, with its hints, and names a missing field with 400', async () => {
    const body = fixtureBytes('stripe-invoice-payment-failed.json');
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret: STRIPE_SECRET, timestamp: Math.floor(now.getTime() / 1000) });
    // cus_NffrFeUfNV2Hib is no alias yet, but billing@acme-industrial.com's domain is A-1's.
    expect(await receiveWebhook(deps, 'stripe', 'billing', { rawBody: body, headers: { 'stripe-signature': header } })).toEqual({ status: 200, body: { stored: 1, duplicates: 0, waiting: 0 } });
    const noCustomer = Buffer.from(body.toString().replace('"customer": "cus_NffrFeUfNV2Hib",', ''));
    const signed = Stripe.webhooks.generateTestHeaderString({ payload: noCustomer.toString(), secret: STRIPE_SECRET, timestamp: Math.floor(now.getTime() / 1000) });
    expect(await receiveWebhook(deps, 'stripe', 'billing', { rawBody: noCustomer, headers: { 'stripe-signature': signed } })).toEqual({ status: 400, body: { error: 'data.object.customer is required', field: 'data.object.customer' } });
    const other = Buffer.from(body.toString().replace('billing@acme-industrial.com', 'ap@unknown.example').replace('evt_1QpX2vLkdIwHu7ix0aBcDeFg', 'evt_2'));
    const otherHeader = Stripe.webhooks.generateTestHeaderString({ payload: other.toString(), secret: STRIPE_SECRET, timestamp: Math.floor(now.getTime() / 1000) });
    expect(await receiveWebhook(deps, 'stripe', 'billing', { rawBody: other, headers: { 'stripe-signature': otherHeader } })).toEqual({ status: 200, body: { stored: 1, duplicates: 0, waiting: 1 } });
    expect(intake.events.get('2:evt_2')?.message).toMatchObject({ context: { externalIds: [{ id: 'cus_NffrFeUfNV2Hib', type: 'stripe_id' }, { id: 'unknown.example', type: 'email_domain' }] } });
  });

  it('passes Zendesk tickets and Segment Webhooks (Actions) messages through', async () => {
    now = new Date('2026-11-20T15:21:00Z');
    const ticket = fixtureBytes('zendesk-ticket-created.json');
    const stamp = '2026-11-20T15:20:06Z';
    const zendesk = { rawBody: ticket, headers: { 'x-zendesk-webhook-signature': createHmac('sha256', ZENDESK_SECRET).update(stamp).update(ticket).digest('base64'), 'x-zendesk-webhook-signature-timestamp': stamp } };
    expect(await receiveWebhook(deps, 'zendesk', 'desk', zendesk)).toEqual({ status: 200, body: { stored: 1, duplicates: 0, waiting: 0 } });
    const track = fixtureBytes('segment-webhook-track.json');
    const segment = { rawBody: track, headers: { 'x-signature': createHmac('sha1', SEGMENT_SECRET).update(track).digest('hex') } };
    expect(await receiveWebhook(deps, 'segment', 'web', segment)).toEqual({ status: 200, body: { stored: 1, duplicates: 0, waiting: 0, refused: [] } });
    expect(await receiveWebhook(deps, 'segment', 'web', segment)).toEqual({ status: 200, body: { stored: 0, duplicates: 1, waiting: 0, refused: [] } });
  });
});
