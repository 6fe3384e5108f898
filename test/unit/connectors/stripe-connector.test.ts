import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { parseStripeSignature, stripeConnector } from '../../../src/connectors/stripe/stripe-connector.js';
import type { WebhookDelivery } from '../../../src/connectors/types.js';
import { bytes, fixtureBytes, fixtureJson } from './load-fixture.js';

const SECRET = 'whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH';
const body = fixtureBytes('stripe-invoice-payment-failed.json');
const at = (iso: string) => new Date(iso);
const withHeader = (rawBody: Buffer, signature: string): WebhookDelivery => ({ rawBody, headers: { 'stripe-signature': signature } });
/** Signed by Stripe's own library, so our check is proved against theirs. */
const officialHeader = (rawBody: Buffer, timestamp: number, secret = SECRET) =>
  Stripe.webhooks.generateTestHeaderString({ payload: rawBody.toString('utf8'), secret, timestamp });

describe('stripe verify', () => {
  const t = 1795010400;
  const now = at('2026-11-18T14:00:00Z');
  it('accepts what Stripe\'s library signs, within 5 minutes either way', () => {
    expect(stripeConnector.verify(withHeader(body, officialHeader(body, t)), SECRET, new Date(t * 1000))).toEqual({ ok: true });
    expect(stripeConnector.verify(withHeader(body, officialHeader(body, t)), SECRET, new Date((t + 299) * 1000))).toEqual({ ok: true });
    expect(stripeConnector.verify(withHeader(body, officialHeader(body, t)), SECRET, new Date((t - 299) * 1000))).toEqual({ ok: true });
  });

  it('agrees with Stripe\'s constructEvent on a fresh delivery', () => {
    const fresh = Math.floor(Date.now() / 1000);
    const header = officialHeader(body, fresh);
    expect(Stripe.webhooks.constructEvent(body, header, SECRET).id).toBe('evt_1QpX2vLkdIwHu7ix0aBcDeFg');
    expect(stripeConnector.verify(withHeader(body, header), SECRET, new Date())).toEqual({ ok: true });
  });

  it('refuses a stale or future timestamp, a forged signature, and a tampered body', () => {
    const header = officialHeader(body, t);
    expect(stripeConnector.verify(withHeader(body, header), SECRET, new Date((t + 301) * 1000))).toMatchObject({ ok: false, failure: 'stale' });
    expect(stripeConnector.verify(withHeader(body, header), SECRET, new Date((t - 301) * 1000))).toMatchObject({ ok: false, failure: 'stale' });
    expect(stripeConnector.verify(withHeader(body, officialHeader(body, t, 'whsec_other')), SECRET, now)).toMatchObject({ ok: false, failure: 'bad-signature' });
    const tampered = Buffer.from(body.toString().replace('480000', '4800'));
    expect(stripeConnector.verify(withHeader(tampered, header), SECRET, new Date(t * 1000))).toMatchObject({ ok: false, failure: 'bad-signature' });
    // Moving the timestamp forward breaks the signature: t is signed.
    expect(stripeConnector.verify(withHeader(body, header.replace(`t=${t}`, `t=${t + 3600}`)), SECRET, new Date((t + 3600) * 1000))).toMatchObject({ ok: false, failure: 'bad-signature' });
    expect(stripeConnector.verify({ rawBody: body, headers: {} }, SECRET, now)).toMatchObject({ ok: false, failure: 'missing-signature' });
    expect(stripeConnector.verify(withHeader(body, 'v1=abc'), SECRET, now)).toMatchObject({ ok: false, failure: 'malformed-signature' });
  });

  it('accepts any of several v1 signatures (a secret being rolled) and ignores other schemes', () => {
    const good = createHmac('sha256', SECRET).update(`${t}.`).update(body).digest('hex');
    const header = `t=${t},v1=${'0'.repeat(64)},v0=deadbeef,v1=${good}`;
    expect(stripeConnector.verify(withHeader(body, header), SECRET, new Date(t * 1000))).toEqual({ ok: true });
    expect(parseStripeSignature(header)).toEqual({ timestamp: t, v1: ['0'.repeat(64), good] });
  });
});

describe('stripe normalise', () => {
  it('turns invoice.payment_failed into Invoice Payment Failed, attributed to the customer id', () => {
    expect(stripeConnector.normalise(withHeader(body, ''))).toEqual({
      kind: 'tracks',
      tracks: [{
        message: {
          type: 'track',
          event: 'Invoice Payment Failed',
          messageId: 'evt_1QpX2vLkdIwHu7ix0aBcDeFg',
          timestamp: '2026-11-18T14:00:00.000Z',
          anonymousId: 'stripe-customer:cus_NffrFeUfNV2Hib',
          properties: { invoice_id: 'in_1QpX2tLkdIwHu7ixR4nD0m3z', amount: 4800, currency: 'usd', invoice_number: 'A1B2C3D4-0007', due_date: null },
          context: {
            integration: { name: 'stripe' },
            externalIds: [
              { id: 'cus_NffrFeUfNV2Hib', type: 'stripe_id', collection: 'accounts', encoding: 'none' },
              { id: 'acme-industrial.com', type: 'email_domain', collection: 'accounts', encoding: 'none' },
            ],
          },
        },
        attribution: [{ kind: 'stripe', value: 'cus_NffrFeUfNV2Hib' }, { kind: 'domain', value: 'acme-industrial.com' }],
      }],
    });
  });

  it('maps invoice.paid (amount paid) and invoice.overdue; zero-decimal currencies are whole units; expanded customers work', () => {
    const event = fixtureJson('stripe-invoice-payment-failed.json') as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
    const paid = { ...event, type: 'invoice.paid', data: { object: { ...event.data.object, amount_paid: 120000, currency: 'jpy', customer: { id: 'cus_Exp', object: 'customer' } } } };
    expect(stripeConnector.normalise(withHeader(bytes(paid), ''))).toMatchObject({
      kind: 'tracks',
      tracks: [{ message: { event: 'Invoice Paid', properties: { amount: 120000, currency: 'jpy' } }, attribution: [{ kind: 'stripe', value: 'cus_Exp' }, { kind: 'domain', value: 'acme-industrial.com' }] }],
    });
    const overdue = { ...event, type: 'invoice.overdue', surprise: true };
    expect(stripeConnector.normalise(withHeader(bytes(overdue), ''))).toMatchObject({ kind: 'tracks', tracks: [{ message: { event: 'Invoice Overdue', properties: { amount: 4800 } } }] });
    expect(stripeConnector.normalise(withHeader(bytes({ ...event, type: 'customer.created' }), ''))).toMatchObject({ kind: 'ignored' });
  });

  it('refuses an event missing what the mapping needs, naming the field', () => {
    const event = fixtureJson('stripe-invoice-payment-failed.json') as { data: { object: Record<string, unknown> } } & Record<string, unknown>;
    const { customer: _c, ...noCustomer } = event.data.object;
    expect(stripeConnector.normalise(withHeader(bytes({ ...event, data: { object: noCustomer } }), ''))).toEqual({ kind: 'refused', field: 'data.object.customer', error: 'data.object.customer is required' });
    const { id: _id, ...noId } = event;
    expect(stripeConnector.normalise(withHeader(bytes(noId), ''))).toEqual({ kind: 'refused', field: 'id', error: 'id is required' });
  });
});
