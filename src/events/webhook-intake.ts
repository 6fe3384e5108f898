// The events intake as the webhook route sees it (WebhookIntake): provider
// sources from event_sources, and every delivery stored through the one
// intake, ingestSegmentMessages — validation, the (source, messageId)
// de-duplication in the INSERT, attribution and the per-source counts.
import type { ConnectorKind } from '../connectors/types.js';
import type { WebhookIntake, WebhookSource } from '../connectors/receive-webhook.js';
import type { Prisma } from '../db/database.js';
import { findActiveSource } from './event-sources.js';
import { ingestSegmentMessages, type IngestSummary } from './ingest-messages.js';
import { recordRefused } from './source-activity.js';

export function createWebhookIntake(prisma: Prisma): WebhookIntake {
  return {
    async findSource(kind: ConnectorKind, name: string): Promise<WebhookSource | null> {
      const row = await findActiveSource(prisma, name);
      if (!row || row.kind !== kind || row.signingSecret === null) return null;
      return { id: row.id, name: row.name, kind, secret: row.signingSecret };
    },

    async storeTracks(source, tracks, receivedAt) {
      const summary = await ingestSegmentMessages({ prisma }, source, tracks.map((t) => t.message), receivedAt, { accounts: tracks.map((t) => t.accountExternalId) });
      // A connector's track calls are well-formed by construction; one refused here is a bug to hear about, not to drop silently.
      if (summary.refused > 0) throw new Error(`the intake refused a normalised ${source.kind} message: ${refusals(summary)[0]?.error ?? ''}`);
      return { stored: summary.accepted, duplicates: summary.duplicates, waiting: summary.waiting };
    },

    async ingestSegmentMessages(source, messages, receivedAt) {
      const summary = await ingestSegmentMessages({ prisma }, source, messages, receivedAt);
      return { stored: summary.accepted, duplicates: summary.duplicates, waiting: summary.waiting, refused: refusals(summary) };
    },

    async recordRefusal(source, reason, at) {
      await recordRefused(prisma, source.id, reason, at);
    },
  };
}

function refusals(summary: IngestSummary): { index: number; error: string }[] {
  return summary.results.flatMap((r) => (r.status === 'refused' ? [{ index: r.index, error: r.reason }] : []));
}
