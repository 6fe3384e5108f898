// Segment's "Webhooks (Actions)" destination. With a shared secret set, Segment
// signs each request in X-Signature: the hex HMAC-SHA1 of the body. The body is
// the Segment event itself (the default "Send" mapping, data = $event), or an
// array of events when batching is on; a `{ "batch": [...] }` body is accepted
// too. Messages go on unchanged, to be handled as `/v1/batch` handles its batch.
// Segment signs no timestamp: replays are absorbed by the (source, messageId)
// de-duplication of the intake.
import { parseJson } from '../payload.js';
import { forged, header, hmac, missing, safeEqual } from '../signatures.js';
import type { Connector } from '../types.js';

const SIGNATURE_HEADER = 'X-Signature';

export const segmentWebhookConnector: Connector = {
  kind: 'segment',
  signatureHeader: SIGNATURE_HEADER,

  verify(delivery, secret) {
    const given = header(delivery, SIGNATURE_HEADER);
    if (given === undefined) return missing(SIGNATURE_HEADER);
    if (!/^[0-9a-fA-F]{40}$/.test(given)) return { ok: false, failure: 'malformed-signature', error: `${SIGNATURE_HEADER} must be a hex HMAC-SHA1 (40 characters)` };
    return safeEqual(hmac('sha1', secret, [delivery.rawBody], 'hex'), given.toLowerCase()) ? { ok: true } : forged(SIGNATURE_HEADER);
  },

  normalise(delivery) {
    const body = parseJson(delivery);
    if (!body.ok) return body.refused;
    const value = body.value;
    const list: unknown =
      Array.isArray(value) ? value : typeof value === 'object' && value !== null && 'batch' in value && Array.isArray(value.batch) ? value.batch : [value];
    const items = list as unknown[];
    const bad = items.findIndex((m) => typeof m !== 'object' || m === null || Array.isArray(m));
    if (bad >= 0) return { kind: 'refused', field: Array.isArray(value) ? `[${bad}]` : 'body', error: 'each message must be a JSON object (a Segment event)' };
    if (items.length === 0) return { kind: 'ignored', reason: 'the delivery holds no messages' };
    return { kind: 'segment-messages', messages: items as Record<string, unknown>[] };
  },
};
