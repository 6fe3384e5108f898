// Shopify order webhooks (orders/create, orders/updated, orders/cancelled).
// Verified by X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body with
// the app's client secret. Shopify signs no timestamp, so freshness rests on
// X-Shopify-Event-Id, the same across retries of one event: it is the messageId,
// and the intake stores one message per (source, messageId).
// B2B orders carry `company.id`; others are found by the buyer's e-mail domain.
import { z } from 'zod';
import { decimalText, domainHint, externalIds, idField, isoInstant, parseJson, read } from '../payload.js';
import { forged, header, hmac, missing, safeEqual } from '../signatures.js';
import type { Alias } from '../../accounts/aliases.js';
import type { Connector, NormalisedTrack } from '../types.js';

const SIGNATURE_HEADER = 'X-Shopify-Hmac-Sha256';
export const SHOPIFY_TOPICS = ['orders/create', 'orders/updated', 'orders/cancelled'] as const;

/**
 * Shopify ids can exceed 2^53, which JSON.parse rounds (the documented sample
 * order 820982911946154508 reads as …500). The `admin_graphql_api_id` string
 * (gid://shopify/Order/820982911946154508) is exact, so it wins.
 */
const exactId = (resource: string) =>
  z
    .looseObject({ id: z.union([z.string(), z.number()]), admin_graphql_api_id: z.string().nullish() })
    .transform((o, ctx) => {
      const gid = new RegExp(`^gid://shopify/${resource}/(\\d+)$`).exec(o.admin_graphql_api_id ?? '')?.[1];
      if (gid) return gid;
      if (typeof o.id === 'string' && /^\d+$/.test(o.id)) return o.id;
      if (typeof o.id === 'number' && Number.isSafeInteger(o.id) && o.id >= 0) return String(o.id);
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'is not an id Shopify sends (a whole number; large ones need admin_graphql_api_id)' });
      return z.NEVER;
    });

const orderSchema = z.looseObject({
  id: z.unknown(),
  admin_graphql_api_id: z.string().nullish(),
  created_at: isoInstant,
  updated_at: isoInstant.optional(),
  cancelled_at: isoInstant.nullish(),
  total_price: decimalText,
  currency: z.string().nullish(),
  email: z.string().nullish(),
  company: z.looseObject({ id: idField, location_id: idField.nullish() }).nullish(),
  customer: z.looseObject({ id: z.union([z.string(), z.number()]).nullish(), admin_graphql_api_id: z.string().nullish(), email: z.string().nullish() }).nullish(),
});
const orderWithIdSchema = orderSchema.transform((order, ctx) => {
  const id = exactId('Order').safeParse(order);
  if (!id.success) {
    for (const issue of id.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  const customer = order.customer?.id === null || order.customer?.id === undefined ? undefined : exactId('Customer').safeParse(order.customer);
  return { ...order, id: id.data, customerId: customer?.success ? customer.data : null };
});
type Order = z.output<typeof orderWithIdSchema>;

export const shopifyConnector: Connector = {
  kind: 'shopify',
  signatureHeader: SIGNATURE_HEADER,

  verify(delivery, secret) {
    const given = header(delivery, SIGNATURE_HEADER);
    if (given === undefined) return missing(SIGNATURE_HEADER);
    if (!/^[A-Za-z0-9+/]{43}=$/.test(given)) return { ok: false, failure: 'malformed-signature', error: `${SIGNATURE_HEADER} must be a base64 HMAC-SHA256 (44 characters)` };
    return safeEqual(hmac('sha256', secret, [delivery.rawBody], 'base64'), given) ? { ok: true } : forged(SIGNATURE_HEADER);
  },

  normalise(delivery) {
    const topic = header(delivery, 'X-Shopify-Topic');
    if (topic === undefined) return { kind: 'refused', field: 'X-Shopify-Topic', error: 'the X-Shopify-Topic header is required' };
    if (!(SHOPIFY_TOPICS as readonly string[]).includes(topic)) return { kind: 'ignored', reason: `topic ${topic} is not mapped (subscribe to ${SHOPIFY_TOPICS.join(', ')})` };
    const eventId = header(delivery, 'X-Shopify-Event-Id');
    if (eventId === undefined) return { kind: 'refused', field: 'X-Shopify-Event-Id', error: 'the X-Shopify-Event-Id header is required (it de-duplicates retries)' };
    const body = parseJson(delivery);
    if (!body.ok) return body.refused;
    const order = read(orderWithIdSchema, body.value);
    if (!order.ok) return order.refused;
    return { kind: 'tracks', tracks: [track(topic, eventId, order.value)] };
  },
};

function track(topic: string, eventId: string, order: Order): NormalisedTrack {
  const cancelled = topic === 'orders/cancelled' || (topic === 'orders/updated' && order.cancelled_at);
  // Segment's e-commerce spec: a later change to a placed order is "Order Updated", not a second order.
  const event = cancelled ? 'Order Cancelled' : topic === 'orders/create' ? 'Order Completed' : 'Order Updated';
  const timestamp = cancelled ? (order.cancelled_at ?? order.updated_at ?? order.created_at) : topic === 'orders/create' ? order.created_at : (order.updated_at ?? order.created_at);
  const attribution: Alias[] = [...(order.company ? [{ kind: 'shopify' as const, value: order.company.id }] : []), ...domainHint(order.email ?? order.customer?.email)];
  const customer = order.customerId;
  return {
    message: {
      type: 'track',
      event,
      messageId: eventId,
      timestamp,
      anonymousId: customer ? `shopify-customer:${customer}` : `shopify-order:${order.id}`,
      properties: { order_id: order.id, total: order.total_price, currency: order.currency ?? null, ...(order.company ? { shopify_company_id: order.company.id } : {}) },
      context: { integration: { name: 'shopify' }, externalIds: externalIds(attribution) },
    },
    attribution,
  };
}
