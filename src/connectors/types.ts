// The shape every provider connector shares: `verify` (is this delivery really
// from the provider, and fresh?) and `normalise` (provider payload → Segment-
// format messages in the event vocabulary of PRODUCT.md). Both are pure: no
// database, no clock but the one passed in. The webhook route wires them to
// the events intake: verify → normalise → resolve attribution → store.
import type { Alias } from '../accounts/aliases.js';

export type ConnectorKind = 'shopify' | 'stripe' | 'zendesk' | 'segment';

/** A delivery as received: the exact bytes (signatures cover them) and lower-cased header names. */
export interface WebhookDelivery {
  rawBody: Buffer;
  headers: Readonly<Record<string, string | undefined>>;
}

export type VerifyFailure = 'missing-signature' | 'malformed-signature' | 'bad-signature' | 'stale';

/** `ok: false` means 401: nothing of the delivery may be stored. */
export type Verification = { ok: true } | { ok: false; failure: VerifyFailure; error: string };

/** A Segment `context.externalIds` entry: the provider id the account is to be found by. */
export interface ExternalId {
  id: string;
  type: string;
  collection: 'accounts';
  encoding: 'none';
}

/** A Segment-spec track call, as the intake stores it. */
export interface TrackMessage {
  type: 'track';
  event: string;
  messageId: string;
  /** ISO 8601, when it happened at the provider. */
  timestamp: string;
  anonymousId: string;
  properties: Record<string, string | number | boolean | null>;
  context: {
    integration: { name: string };
    /** Where to look for the account, most specific first (mirrors `attribution`). */
    externalIds: ExternalId[];
  };
}

export interface NormalisedTrack {
  message: TrackMessage;
  /**
   * Aliases to find the account by, in order of preference (e.g. the Shopify
   * company, then the buyer's e-mail domain). Empty: the message cannot be
   * attributed by the provider's ids.
   */
  attribution: Alias[];
}

export type Normalised =
  /** Provider events: stored (and attributed) as track calls. */
  | { kind: 'tracks'; tracks: NormalisedTrack[] }
  /** Segment messages passed through unchanged, to be handled as `/v1/batch` handles its `batch`. */
  | { kind: 'segment-messages'; messages: Record<string, unknown>[] }
  /** A delivery we understand but that changes no measure (a topic we do not map, a status move within "open"): 200, nothing stored. */
  | { kind: 'ignored'; reason: string }
  /** The payload lacks what the mapping needs: 400 naming the field, counted as refused. */
  | { kind: 'refused'; field: string; error: string };

export interface Connector {
  kind: ConnectorKind;
  /** Header(s) that carry the signature, for error messages and docs. */
  signatureHeader: string;
  verify(delivery: WebhookDelivery, secret: string, now: Date): Verification;
  normalise(delivery: WebhookDelivery): Normalised;
}
