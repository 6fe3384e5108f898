// Stripe invoice events (invoice.paid, invoice.payment_failed, invoice.overdue).
// Verified by Stripe-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`
// with the endpoint's signing secret (whsec_…, used as is); several v1 entries
// may be present while a secret is rolled, and any one matching is enough.
// The timestamp must lie within 5 minutes of our clock. The event id (evt_…)
// is the messageId; the account is found by the Stripe customer id (cus_…),
// else the invoice's customer e-mail domain.
import { z } from 'zod';
import { domainHint, externalIds, idField, parseJson, read } from '../payload.js';
import { checkFreshness, forged, header, hmac, missing, safeEqual } from '../signatures.js';
import type { Alias } from '../../accounts/aliases.js';
import type { Connector, NormalisedTrack } from '../types.js';

const SIGNATURE_HEADER = 'Stripe-Signature';
const EVENTS = { 'invoice.paid': 'Invoice Paid', 'invoice.payment_failed': 'Invoice Payment Failed', 'invoice.overdue': 'Invoice Overdue' } as const;
type StripeEventType = keyof typeof EVENTS;

/** Currencies Stripe counts in whole units (amounts are not in cents). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

const eventSchema = z.looseObject({
  id: z.string().regex(/^evt_\w+$/, 'must be a Stripe event id (evt_…)'),
  type: z.string(),
  created: z.number().int().positive(),
  data: z.looseObject({
    object: z.looseObject({
      id: idField,
      // Expanded objects arrive as { id: 'cus_…', … } when an API version or expansion says so.
      customer: z.union([z.string(), z.looseObject({ id: z.string() })]).transform((c) => (typeof c === 'string' ? c : c.id)),
      currency: z.string().nullish(),
      amount_due: z.number().nullish(),
      amount_paid: z.number().nullish(),
      customer_email: z.string().nullish(),
      due_date: z.number().nullish(),
      number: z.string().nullish(),
    }),
  }),
});

/** Parses `t=…,v1=…,v1=…,v0=…`: unknown schemes are ignored, as Stripe's libraries do. */
export function parseStripeSignature(value: string): { timestamp: number; v1: string[] } | null {
  let timestamp: number | null = null;
  const v1: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const [key, val] = eq < 0 ? [part, ''] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    if (key === 't' && /^\d{1,12}$/.test(val)) timestamp = Number(val);
    if (key === 'v1' && val !== '') v1.push(val);
  }
  return timestamp === null || v1.length === 0 ? null : { timestamp, v1 };
}

export const stripeConnector: Connector = {
  kind: 'stripe',
  signatureHeader: SIGNATURE_HEADER,

  verify(delivery, secret, now) {
    const given = header(delivery, SIGNATURE_HEADER);
    if (given === undefined) return missing(SIGNATURE_HEADER);
    const parsed = parseStripeSignature(given);
    if (!parsed) return { ok: false, failure: 'malformed-signature', error: `${SIGNATURE_HEADER} must look like t=<unix time>,v1=<signature>` };
    const expected = hmac('sha256', secret, [`${parsed.timestamp}.`, delivery.rawBody], 'hex');
    // Every candidate is compared, so the time taken does not depend on which one matched.
    const matched = parsed.v1.map((candidate) => safeEqual(expected, candidate)).includes(true);
    if (!matched) return forged(SIGNATURE_HEADER);
    return checkFreshness(new Date(parsed.timestamp * 1000), now, SIGNATURE_HEADER);
  },

  normalise(delivery) {
    const body = parseJson(delivery);
    if (!body.ok) return body.refused;
    const type = typeof body.value === 'object' && body.value !== null && 'type' in body.value ? body.value.type : undefined;
    if (typeof type === 'string' && !(type in EVENTS)) return { kind: 'ignored', reason: `event type ${type} is not mapped (send ${Object.keys(EVENTS).join(', ')})` };
    const event = read(eventSchema, body.value);
    if (!event.ok) return event.refused;
    return { kind: 'tracks', tracks: [track(event.value as z.output<typeof eventSchema> & { type: StripeEventType })] };
  },
};

function track(event: z.output<typeof eventSchema> & { type: StripeEventType }): NormalisedTrack {
  const invoice = event.data.object;
  const currency = invoice.currency?.toLowerCase() ?? null;
  const minor = event.type === 'invoice.paid' ? invoice.amount_paid : invoice.amount_due;
  const amount = minor === null || minor === undefined ? null : currency && ZERO_DECIMAL.has(currency) ? minor : minor / 100;
  const attribution: Alias[] = [{ kind: 'stripe', value: invoice.customer }, ...domainHint(invoice.customer_email)];
  return {
    message: {
      type: 'track',
      event: EVENTS[event.type],
      messageId: event.id,
      timestamp: new Date(event.created * 1000).toISOString(),
      anonymousId: `stripe-customer:${invoice.customer}`,
      properties: {
        invoice_id: invoice.id,
        amount,
        currency,
        invoice_number: invoice.number ?? null,
        due_date: invoice.due_date ? new Date(invoice.due_date * 1000).toISOString() : null,
      },
      context: { integration: { name: 'stripe' }, externalIds: externalIds(attribution) },
    },
    attribution,
  };
}
