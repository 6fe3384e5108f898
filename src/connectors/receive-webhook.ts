// One provider delivery, from bytes to stored events, independent of HTTP and
// of how events are stored: `POST /webhooks/KIND/SOURCE` will be a thin route
// around this once the events intake exists (it is given here as an interface).
// Order matters: nothing is read from the body before the signature holds, and
// nothing is stored for a delivery that is refused.
import type { Alias } from '../accounts/aliases.js';
import { connectorFor } from './connectors.js';
import type { ConnectorKind, TrackMessage, WebhookDelivery } from './types.js';

/** A provider source as `source create NAME --kind KIND --secret S` made it. */
export interface WebhookSource {
  id: number;
  name: string;
  kind: ConnectorKind;
  /** The signing secret itself: HMACs need it, so it cannot be stored only as a hash. */
  secret: string;
}

/** What the events intake must offer the webhook route. */
export interface WebhookIntake {
  /** The active (not revoked) source of this kind and name, or null. */
  findSource(kind: ConnectorKind, name: string): Promise<WebhookSource | null>;
  /**
   * Stores provider track calls, one per (source, messageId) in the same
   * statement that inserts them; `accountExternalId` null keeps a message
   * waiting for an account, with its `context.externalIds` to be attributed by
   * once a matching alias arrives.
   */
  storeTracks(source: WebhookSource, tracks: readonly { message: TrackMessage; accountExternalId: string | null }[], receivedAt: Date): Promise<{ stored: number; duplicates: number; waiting: number }>;
  /** Segment messages handled exactly as `/v1/batch` handles its `batch` (validation, refusals by index, de-duplication). */
  ingestSegmentMessages(source: WebhookSource, messages: readonly Record<string, unknown>[], receivedAt: Date): Promise<{ stored: number; duplicates: number; waiting: number; refused: { index: number; error: string }[] }>;
  /** Counts a refused delivery and keeps its reason as the source's last error (`source list`). */
  recordRefusal(source: WebhookSource, reason: string, at: Date): Promise<void>;
}

export interface ReceiveWebhookDeps {
  intake: WebhookIntake;
  /** The account an event's hints name (alias-store's resolveAttribution, by external id), or null. */
  resolve(hints: readonly Alias[]): Promise<string | null>;
  clock: () => Date;
}

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 404;
  body: Record<string, unknown>;
}

export async function receiveWebhook(deps: ReceiveWebhookDeps, kind: string, sourceName: string, delivery: WebhookDelivery): Promise<WebhookAnswer> {
  const connector = connectorFor(kind);
  if (!connector) return { status: 404, body: { error: `unknown webhook kind "${kind}" (shopify, stripe, zendesk or segment)` } };
  const source = await deps.intake.findSource(connector.kind, sourceName);
  if (!source) return { status: 404, body: { error: `no active ${connector.kind} source named "${sourceName}" (create it with \`account-health source create ${sourceName} --kind ${connector.kind} --secret …\`)` } };
  const now = deps.clock();
  const verified = connector.verify(delivery, source.secret, now);
  if (!verified.ok) {
    await deps.intake.recordRefusal(source, verified.error, now);
    return { status: 401, body: { error: verified.error } };
  }
  const normalised = connector.normalise(delivery);
  switch (normalised.kind) {
    case 'refused':
      await deps.intake.recordRefusal(source, normalised.error, now);
      return { status: 400, body: { error: normalised.error, field: normalised.field } };
    case 'ignored':
      return { status: 200, body: { stored: 0, ignored: normalised.reason } };
    case 'tracks': {
      const tracks = [];
      for (const track of normalised.tracks) tracks.push({ message: track.message, accountExternalId: await deps.resolve(track.attribution) });
      return { status: 200, body: { ...(await deps.intake.storeTracks(source, tracks, now)) } };
    }
    case 'segment-messages': {
      const outcome = await deps.intake.ingestSegmentMessages(source, normalised.messages, now);
      if (outcome.refused.length > 0) {
        await deps.intake.recordRefusal(source, `${outcome.refused.length} message(s) refused; first: ${outcome.refused[0]?.error ?? ''}`, now);
        return { status: 400, body: { error: `${outcome.refused.length} message(s) refused; the other ${outcome.stored + outcome.duplicates} were kept`, ...outcome } };
      }
      return { status: 200, body: { ...outcome } };
    }
  }
}
