// Zendesk ticket webhooks. Verified by X-Zendesk-Webhook-Signature: base64
// HMAC-SHA256 of X-Zendesk-Webhook-Signature-Timestamp followed directly by the
// body, with the webhook's signing secret; the timestamp must be within 5 minutes.
// Two payload shapes are read:
//  - event webhooks (zen:event-type:ticket.created / ticket.status_changed):
//    the event id is the messageId; the account is the ticket's organization;
//  - trigger webhooks whose JSON body is ZENDESK_TRIGGER_BODY below (for
//    "ticket created" and "ticket solved" triggers): the invocation id is the
//    messageId; the account is the organization, else the requester's e-mail domain.
// A ticket tagged `complaint` is of type complaint (complaints_90d counts those).
import { z } from 'zod';
import { domainHint, externalIds, idField, isoInstant, parseJson, read } from '../payload.js';
import { checkFreshness, forged, header, hmac, missing, safeEqual } from '../signatures.js';
import type { Alias } from '../../accounts/aliases.js';
import type { Connector, Normalised, NormalisedTrack } from '../types.js';

/**
 * The JSON body to give a Zendesk trigger's webhook action, with "created" or
 * "solved" as `event` (Zendesk fills in the placeholders when it fires).
 */
export const ZENDESK_TRIGGER_BODY = (event: 'created' | 'solved') =>
  JSON.stringify({
    event,
    ticket_id: '{{ticket.id}}',
    status: '{{ticket.status}}',
    type: '{{ticket.ticket_type}}',
    tags: '{{ticket.tags}}',
    organization_id: '{{ticket.organization.id}}',
    requester_email: '{{ticket.requester.email}}',
  });

const SIGNATURE_HEADER = 'X-Zendesk-Webhook-Signature';
const TIMESTAMP_HEADER = 'X-Zendesk-Webhook-Signature-Timestamp';
const CLOSED = new Set(['solved', 'closed']);

const tags = z.union([z.array(z.string()), z.string().transform((s) => s.split(/\s+/).filter((t) => t !== ''))]).nullish();
/** Zendesk sends "0" or null for "no organization". */
const organizationId = z.union([idField, z.null(), z.literal('')]).optional().transform((id) => (id && id !== '0' ? id : null));

const eventWebhookSchema = z.looseObject({
  type: z.string(),
  id: z.string().min(1),
  time: isoInstant,
  detail: z.looseObject({
    id: idField,
    organization_id: organizationId,
    requester_id: idField.nullish(),
    type: z.string().nullish(),
    tags,
  }),
  event: z.looseObject({ current: z.unknown().optional(), previous: z.unknown().optional() }).nullish(),
});

const triggerSchema = z.looseObject({
  event: z.enum(['created', 'solved', 'status_changed']),
  ticket_id: idField,
  status: z.string().min(1),
  type: z.string().nullish(),
  tags,
  organization_id: organizationId,
  requester_email: z.string().nullish(),
});

export const zendeskConnector: Connector = {
  kind: 'zendesk',
  signatureHeader: SIGNATURE_HEADER,

  verify(delivery, secret, now) {
    const given = header(delivery, SIGNATURE_HEADER);
    if (given === undefined) return missing(SIGNATURE_HEADER);
    const timestamp = header(delivery, TIMESTAMP_HEADER);
    if (timestamp === undefined) return missing(TIMESTAMP_HEADER);
    const expected = hmac('sha256', secret, [timestamp, delivery.rawBody], 'base64');
    if (!safeEqual(expected, given)) return forged(SIGNATURE_HEADER);
    const signedAt = new Date(timestamp);
    if (Number.isNaN(signedAt.getTime())) return { ok: false, failure: 'malformed-signature', error: `${TIMESTAMP_HEADER} must be an ISO 8601 time` };
    return checkFreshness(signedAt, now, TIMESTAMP_HEADER);
  },

  normalise(delivery) {
    const body = parseJson(delivery);
    if (!body.ok) return body.refused;
    const value = body.value;
    const type = typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' ? value.type : undefined;
    if (type?.startsWith('zen:event-type:')) return fromEventWebhook(type, value);
    return fromTrigger(delivery, value);
  },
};

function ticketType(type: string | null | undefined, ticketTags: readonly string[] | null | undefined): string | null {
  return ticketTags?.some((t) => t.toLowerCase() === 'complaint') ? 'complaint' : (type?.toLowerCase() ?? null);
}

function fromEventWebhook(type: string, value: unknown): Normalised {
  if (type !== 'zen:event-type:ticket.created' && type !== 'zen:event-type:ticket.status_changed') {
    return { kind: 'ignored', reason: `event type ${type} is not mapped (subscribe to ticket.created and ticket.status_changed)` };
  }
  const parsed = read(eventWebhookSchema, value);
  if (!parsed.ok) return parsed.refused;
  const { id, time, detail, event } = parsed.value;
  let name: 'Ticket Opened' | 'Ticket Closed';
  if (type === 'zen:event-type:ticket.created') name = 'Ticket Opened';
  else {
    const status = (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : typeof s === 'object' && s !== null && 'status' in s && typeof s.status === 'string' ? s.status.toLowerCase() : undefined);
    const current = status(event?.current);
    if (current === undefined) return { kind: 'refused', field: 'event.current', error: 'event.current is required (the new status)' };
    const wasClosed = CLOSED.has(status(event?.previous) ?? '');
    if (CLOSED.has(current) && !wasClosed) name = 'Ticket Closed';
    else if (!CLOSED.has(current) && wasClosed) name = 'Ticket Opened'; // reopened
    else return { kind: 'ignored', reason: `status ${current} does not open or close the ticket` };
  }
  const attribution: Alias[] = detail.organization_id ? [{ kind: 'zendesk', value: detail.organization_id }] : [];
  return { kind: 'tracks', tracks: [ticketTrack(name, id, time, detail.id, ticketType(detail.type, detail.tags), detail.requester_id ?? null, attribution)] };
}

function fromTrigger(delivery: Parameters<Connector['normalise']>[0], value: unknown): Normalised {
  const parsed = read(triggerSchema, value);
  if (!parsed.ok) return parsed.refused;
  const invocation = header(delivery, 'X-Zendesk-Webhook-Invocation-Id');
  if (invocation === undefined) return { kind: 'refused', field: 'X-Zendesk-Webhook-Invocation-Id', error: 'the X-Zendesk-Webhook-Invocation-Id header is required (it de-duplicates retries)' };
  const ticket = parsed.value;
  const status = ticket.status.toLowerCase();
  const name = ticket.event === 'created' ? 'Ticket Opened' : CLOSED.has(status) ? 'Ticket Closed' : null;
  if (name === null) return { kind: 'ignored', reason: `status ${status} does not open or close the ticket` };
  // The signed timestamp is when Zendesk fired the trigger: the event's time.
  const time = new Date(header(delivery, TIMESTAMP_HEADER) ?? '');
  if (Number.isNaN(time.getTime())) return { kind: 'refused', field: TIMESTAMP_HEADER, error: `${TIMESTAMP_HEADER} must be an ISO 8601 time` };
  const attribution: Alias[] = [...(ticket.organization_id ? [{ kind: 'zendesk' as const, value: ticket.organization_id }] : []), ...domainHint(ticket.requester_email)];
  return { kind: 'tracks', tracks: [ticketTrack(name, invocation, time.toISOString(), ticket.ticket_id, ticketType(ticket.type, ticket.tags), null, attribution)] };
}

function ticketTrack(event: string, messageId: string, timestamp: string, ticketId: string, type: string | null, requesterId: string | null, attribution: Alias[]): NormalisedTrack {
  return {
    message: {
      type: 'track',
      event,
      messageId,
      timestamp,
      anonymousId: requesterId ? `zendesk-user:${requesterId}` : `zendesk-ticket:${ticketId}`,
      properties: { ticket_id: ticketId, type },
      context: { integration: { name: 'zendesk' }, externalIds: externalIds(attribution) },
    },
    attribution,
  };
}
