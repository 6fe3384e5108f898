import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { segmentWebhookConnector } from '../../../src/connectors/segment-webhook/segment-webhook-connector.js';
import type { WebhookDelivery } from '../../../src/connectors/types.js';
import { bytes, fixtureBytes, fixtureJson } from './load-fixture.js';

const SECRET = 'segment-shared-secret';
const sign = (body: Buffer, secret = SECRET) => createHmac('sha1', secret).update(body).digest('hex');
const delivery = (body: Buffer, signature = sign(body)): WebhookDelivery => ({ rawBody: body, headers: { 'x-signature': signature, 'content-type': 'application/json' } });
const now = new Date();

describe('segment webhooks (actions)', () => {
  const body = fixtureBytes('segment-webhook-track.json');
  it('verifies the hex HMAC-SHA1 of the body, in either case', () => {
    expect(segmentWebhookConnector.verify(delivery(body), SECRET, now)).toEqual({ ok: true });
    expect(segmentWebhookConnector.verify(delivery(body, sign(body).toUpperCase()), SECRET, now)).toEqual({ ok: true });
  });
  it('refuses a forged, missing or malformed signature', () => {
    expect(segmentWebhookConnector.verify(delivery(body, sign(body, 'nope')), SECRET, now)).toMatchObject({ ok: false, failure: 'bad-signature' });
    expect(segmentWebhookConnector.verify(delivery(Buffer.concat([body, Buffer.from(' ')]), sign(body)), SECRET, now)).toMatchObject({ ok: false, failure: 'bad-signature' });
    expect(segmentWebhookConnector.verify({ rawBody: body, headers: {} }, SECRET, now)).toMatchObject({ ok: false, failure: 'missing-signature' });
    expect(segmentWebhookConnector.verify(delivery(body, 'sha1=abc'), SECRET, now)).toMatchObject({ ok: false, failure: 'malformed-signature' });
  });
  it('passes one event, a batched array or a {batch} body on unchanged, unknown fields included', () => {
    const event = { ...fixtureJson('segment-webhook-track.json'), somethingNew: { a: 1 } };
    expect(segmentWebhookConnector.normalise(delivery(bytes(event)))).toEqual({ kind: 'segment-messages', messages: [event] });
    expect(segmentWebhookConnector.normalise(delivery(bytes([event, event])))).toEqual({ kind: 'segment-messages', messages: [event, event] });
    expect(segmentWebhookConnector.normalise(delivery(bytes({ batch: [event] })))).toEqual({ kind: 'segment-messages', messages: [event] });
    expect(segmentWebhookConnector.normalise(delivery(bytes([])))).toMatchObject({ kind: 'ignored' });
  });
  it('refuses what is not a Segment event, naming where', () => {
    expect(segmentWebhookConnector.normalise(delivery(bytes([fixtureJson('segment-webhook-track.json'), 'text'])))).toEqual({ kind: 'refused', field: '[1]', error: 'each message must be a JSON object (a Segment event)' });
    expect(segmentWebhookConnector.normalise(delivery(Buffer.from('nope')))).toEqual({ kind: 'refused', field: 'body', error: 'the body is not valid JSON' });
  });
});
