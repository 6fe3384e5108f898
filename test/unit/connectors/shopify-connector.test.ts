import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shopifyConnector } from '../../../src/connectors/shopify/shopify-connector.js';
import type { WebhookDelivery } from '../../../src/connectors/types.js';
import { bytes, fixtureBytes, fixtureJson } from './load-fixture.js';

const SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const sign = (body: Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');
const delivery = (body: Buffer, topic = 'orders/create', extra: Record<string, string> = {}): WebhookDelivery => ({
  rawBody: body,
  headers: { 'x-shopify-topic': topic, 'x-shopify-hmac-sha256': sign(body), 'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5', 'x-shopify-shop-domain': 'widgets.myshopify.com', ...extra },
});
const now = new Date('2026-11-20T15:16:00Z');

describe('shopify verify', () => {
  const body = fixtureBytes('shopify-orders-create.json');
  it('accepts the base64 HMAC-SHA256 of the raw body', () => {
    expect(shopifyConnector.verify(delivery(body), SECRET, now)).toEqual({ ok: true });
  });
  it('refuses a forged, re-serialised or missing signature', () => {
    expect(shopifyConnector.verify(delivery(body), 'another-secret', now)).toMatchObject({ ok: false, failure: 'bad-signature' });
    // The same JSON, re-serialised (whitespace differs): the signature covers bytes, not meaning.
    const reserialised = { ...delivery(body), rawBody: bytes(JSON.parse(body.toString())) };
    expect(shopifyConnector.verify(reserialised, SECRET, now)).toMatchObject({ ok: false, failure: 'bad-signature' });
    expect(shopifyConnector.verify({ rawBody: body, headers: {} }, SECRET, now)).toEqual({ ok: false, failure: 'missing-signature', error: 'the X-Shopify-Hmac-Sha256 header is missing' });
    expect(shopifyConnector.verify(delivery(body, 'orders/create', { 'x-shopify-hmac-sha256': 'abc' }), SECRET, now)).toMatchObject({ ok: false, failure: 'malformed-signature' });
  });
});

describe('shopify normalise', () => {
  it('turns a B2B orders/create into Order Completed, attributed to the company, then the buyer\'s domain', () => {
    const result = shopifyConnector.normalise(delivery(fixtureBytes('shopify-orders-create.json')));
    expect(result).toEqual({
      kind: 'tracks',
      tracks: [{
        message: {
          type: 'track',
          event: 'Order Completed',
          messageId: '98880550-7158-44d4-b7cd-2c97c8a091b5',
          timestamp: '2026-11-20T15:15:43.000Z',
          anonymousId: 'shopify-customer:115310627314723954',
          // Exact, from admin_graphql_api_id: the JSON number 820982911946154508 is beyond 2^53.
          properties: { order_id: '820982911946154508', total: 1250, currency: 'USD', shopify_company_id: '4503601' },
          context: {
            integration: { name: 'shopify' },
            externalIds: [
              { id: '4503601', type: 'shopify_id', collection: 'accounts', encoding: 'none' },
              { id: 'acme-industrial.com', type: 'email_domain', collection: 'accounts', encoding: 'none' },
            ],
          },
        },
        attribution: [{ kind: 'shopify', value: '4503601' }, { kind: 'domain', value: 'acme-industrial.com' }],
      }],
    });
  });

  it('maps cancellations and updates; an order without a company is found by e-mail domain only', () => {
    const order = { ...fixtureJson('shopify-orders-create.json'), company: null, cancelled_at: '2026-11-22T08:00:00Z', updated_at: '2026-11-22T08:00:01Z' };
    const cancelled = shopifyConnector.normalise(delivery(bytes(order), 'orders/cancelled'));
    expect(cancelled).toMatchObject({ kind: 'tracks', tracks: [{ message: { event: 'Order Cancelled', timestamp: '2026-11-22T08:00:00.000Z' }, attribution: [{ kind: 'domain', value: 'acme-industrial.com' }] }] });
    const updated = shopifyConnector.normalise(delivery(bytes({ ...order, cancelled_at: null }), 'orders/updated'));
    expect(updated).toMatchObject({ kind: 'tracks', tracks: [{ message: { event: 'Order Updated', timestamp: '2026-11-22T08:00:01.000Z' } }] });
    const consumer = shopifyConnector.normalise(delivery(bytes({ ...order, email: 'jon@gmail.com', customer: null, cancelled_at: null }), 'orders/create'));
    expect(consumer).toMatchObject({ kind: 'tracks', tracks: [{ message: { anonymousId: 'shopify-order:820982911946154508' }, attribution: [] }] });
  });

  it('accepts fields it does not know, ignores topics it does not map', () => {
    const extra = { ...fixtureJson('shopify-orders-create.json'), brand_new_field: { nested: [1, 2] } };
    expect(shopifyConnector.normalise(delivery(bytes(extra)))).toMatchObject({ kind: 'tracks' });
    expect(shopifyConnector.normalise(delivery(bytes(extra), 'products/update'))).toMatchObject({ kind: 'ignored' });
  });

  it('refuses a payload missing what the mapping needs, naming the field', () => {
    const { total_price: _total, ...noTotal } = fixtureJson('shopify-orders-create.json');
    expect(shopifyConnector.normalise(delivery(bytes(noTotal)))).toEqual({ kind: 'refused', field: 'total_price', error: 'total_price is required' });
    const { id: _id, admin_graphql_api_id: _gid, ...noId } = fixtureJson('shopify-orders-create.json');
    expect(shopifyConnector.normalise(delivery(bytes(noId)))).toEqual({ kind: 'refused', field: 'id', error: 'id is required' });
    expect(shopifyConnector.normalise(delivery(bytes({ ...noTotal, total_price: 'lots' })))).toEqual({ kind: 'refused', field: 'total_price', error: 'total_price: "lots" is not an amount' });
    const body = fixtureBytes('shopify-orders-create.json');
    expect(shopifyConnector.normalise({ rawBody: body, headers: { 'x-shopify-topic': 'orders/create' } })).toMatchObject({ kind: 'refused', field: 'X-Shopify-Event-Id' });
    expect(shopifyConnector.normalise(delivery(Buffer.from('{not json')))).toEqual({ kind: 'refused', field: 'body', error: 'the body is not valid JSON' });
  });
});
