// Signature helpers shared by the connectors. Comparisons are constant-time:
// both sides are hashed to equal-length digests first, so neither the content
// nor the length of the expected signature leaks through timing.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Verification, WebhookDelivery } from './types.js';

export function hmac(algorithm: 'sha1' | 'sha256', secret: string, parts: readonly (string | Buffer)[], encoding: 'hex' | 'base64'): string {
  const mac = createHmac(algorithm, secret);
  for (const part of parts) mac.update(part);
  return mac.digest(encoding);
}

export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** A header's value, trimmed; undefined when absent or blank. */
export function header(delivery: WebhookDelivery, name: string): string | undefined {
  const value = delivery.headers[name.toLowerCase()]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export const missing = (name: string): Verification => ({ ok: false, failure: 'missing-signature', error: `the ${name} header is missing` });
export const forged = (name: string): Verification => ({ ok: false, failure: 'bad-signature', error: `the ${name} signature does not match this body and the source's secret` });

/** How far a signed timestamp may lie from our clock (both ways), as Stripe's libraries default to. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function checkFreshness(signedAt: Date, now: Date, headerName: string): Verification {
  const skew = Math.abs(now.getTime() - signedAt.getTime()) / 1000;
  if (skew <= SIGNATURE_TOLERANCE_SECONDS) return { ok: true };
  return { ok: false, failure: 'stale', error: `the ${headerName} timestamp ${signedAt.toISOString()} is ${Math.round(skew)} s from now (at most ${SIGNATURE_TOLERANCE_SECONDS} s allowed): a replayed or delayed delivery` };
}
