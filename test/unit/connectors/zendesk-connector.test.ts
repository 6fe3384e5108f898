import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../../src/connectors/types.js';
import { ZENDESK_TRIGGER_BODY, zendeskConnector } from '../../../src/connectors/zendesk/zendesk-connector.js';
import { bytes, fixtureBytes, fixtureJson } from './load-fixture.js';

const SECRET = 'dGhpc19zZWNyZXRfaXNfZnJvbV96ZW5kZXNr';
const STAMP = '2026-11-20T15:20:06Z';
const sign = (timestamp: string, body: Buffer, secret = SECRET) => createHmac('sha256', secret).update(timestamp + body.toString('utf8')).digest('base64');
const delivery = (body: Buffer, extra: Record<string, string> = {}): WebhookDelivery => ({
  rawBody: body,
  headers: {
    'x-zendesk-webhook-signature': sign(STAMP, body),
    'x-zendesk-webhook-signature-timestamp': STAMP,
    'x-zendesk-webhook-id': '01GK8E6BKWMJZD2T8Y5AXJQMG5',
    'x-zendesk-webhook-invocation-id': '8350205582',
    ...extra,
  },
});

describe('zendesk verify', () => {
  const body = fixtureBytes('zendesk-ticket-created.json');
  it('accepts base64 HMAC-SHA256 of timestamp + body within 5 minutes', () => {
    expect(zendeskConnector.verify(delivery(body), SECRET, new Date('2026-11-20T15:24:59Z'))).toEqual({ ok: true });
  });
  it('refuses a stale timestamp, a forged or missing signature, and a re-dated delivery', () => {
    expect(zendeskConnector.verify(delivery(body), SECRET, new Date('2026-11-20T15:26:00Z'))).toMatchObject({ ok: false, failure: 'stale' });
    expect(zendeskConnector.verify(delivery(body), 'wrong', new Date(STAMP))).toMatchObject({ ok: false, failure: 'bad-signature' });
    expect(zendeskConnector.verify(delivery(body, { 'x-zendesk-webhook-signature-timestamp': '2026-11-20T15:30:00Z' }), SECRET, new Date('2026-11-20T15:30:00Z'))).toMatchObject({ ok: false, failure: 'bad-signature' });
    expect(zendeskConnector.verify({ rawBody: body, headers: { 'x-zendesk-webhook-signature': 'x' } }, SECRET, new Date(STAMP))).toEqual({
      ok: false,
      failure: 'missing-signature',
      error: 'the X-Zendesk-Webhook-Signature-Timestamp header is missing',
    });
  });
});

describe('zendesk normalise', () => {
  it('turns ticket.created into Ticket Opened (a complaint, by its tag), attributed to the organization', () => {
    expect(zendeskConnector.normalise(delivery(fixtureBytes('zendesk-ticket-created.json')))).toEqual({
      kind: 'tracks',
      tracks: [{
        message: {
          type: 'track',
          event: 'Ticket Opened',
          messageId: '9e1e2ed8-4c2b-4a0e-9a8a-6a35f0a3c2a1',
          timestamp: '2026-11-20T15:20:05.000Z',
          anonymousId: 'zendesk-user:20978392',
          properties: { ticket_id: '35436', type: 'complaint' },
          context: { integration: { name: 'zendesk' }, externalIds: [{ id: '360012345', type: 'zendesk_id', collection: 'accounts', encoding: 'none' }] },
        },
        attribution: [{ kind: 'zendesk', value: '360012345' }],
      }],
    });
  });

  it('closes on solved, reopens on a move back from solved, ignores moves within open states', () => {
    const changed = fixtureJson('zendesk-ticket-status-changed.json') as Record<string, unknown> & { event: Record<string, unknown> };
    expect(zendeskConnector.normalise(delivery(bytes(changed)))).toMatchObject({ kind: 'tracks', tracks: [{ message: { event: 'Ticket Closed', messageId: '0f8b4f5e-1b7c-4c55-bb39-3c0f2d3e8d10', properties: { ticket_id: '35436' } } }] });
    expect(zendeskConnector.normalise(delivery(bytes({ ...changed, event: { current: 'OPEN', previous: 'SOLVED' } })))).toMatchObject({ kind: 'tracks', tracks: [{ message: { event: 'Ticket Opened' } }] });
    expect(zendeskConnector.normalise(delivery(bytes({ ...changed, event: { current: 'PENDING', previous: 'OPEN' } })))).toMatchObject({ kind: 'ignored' });
    expect(zendeskConnector.normalise(delivery(bytes({ ...changed, type: 'zen:event-type:ticket.priority_changed' })))).toMatchObject({ kind: 'ignored' });
    // No organization ("0"): nothing to attribute by.
    const detail = { ...(changed.detail as Record<string, unknown>), organization_id: '0', brand_new: 1 };
    expect(zendeskConnector.normalise(delivery(bytes({ ...changed, detail })))).toMatchObject({ kind: 'tracks', tracks: [{ attribution: [] }] });
  });

  it('reads the trigger template once Zendesk fills it in: the invocation id de-duplicates, the requester\'s domain attributes', () => {
    const template = JSON.parse(ZENDESK_TRIGGER_BODY('solved')) as Record<string, string>;
    expect(Object.keys(template).sort()).toEqual(Object.keys(fixtureJson('zendesk-trigger-solved.json')).sort());
    expect(zendeskConnector.normalise(delivery(fixtureBytes('zendesk-trigger-solved.json')))).toMatchObject({
      kind: 'tracks',
      tracks: [{
        message: { event: 'Ticket Closed', messageId: '8350205582', timestamp: '2026-11-20T15:20:06.000Z', properties: { ticket_id: '35437', type: 'question' } },
        attribution: [{ kind: 'domain', value: 'sub.acme-industrial.com' }],
      }],
    });
  });

  it('refuses a payload missing what the mapping needs, naming the field', () => {
    const created = fixtureJson('zendesk-ticket-created.json') as Record<string, unknown>;
    const { id: _id, ...detail } = created.detail as Record<string, unknown>;
    expect(zendeskConnector.normalise(delivery(bytes({ ...created, detail })))).toEqual({ kind: 'refused', field: 'detail.id', error: 'detail.id is required' });
    const changed = fixtureJson('zendesk-ticket-status-changed.json');
    expect(zendeskConnector.normalise(delivery(bytes({ ...changed, event: {} })))).toEqual({ kind: 'refused', field: 'event.current', error: 'event.current is required (the new status)' });
    const { ticket_id: _t, ...trigger } = fixtureJson('zendesk-trigger-solved.json');
    expect(zendeskConnector.normalise(delivery(bytes(trigger)))).toEqual({ kind: 'refused', field: 'ticket_id', error: 'ticket_id is required' });
  });
});
