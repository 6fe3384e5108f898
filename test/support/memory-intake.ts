// An in-memory stand-in for the events intake, holding the contract the
// webhook route relies on (WebhookIntake): one message per (source, messageId),
// unattributed messages kept waiting, refusals counted per source.
import type { ConnectorKind, TrackMessage } from '../../src/connectors/types.js';
import type { WebhookIntake, WebhookSource } from '../../src/connectors/receive-webhook.js';

export interface StoredEvent {
  sourceId: number;
  message: TrackMessage | Record<string, unknown>;
  accountExternalId: string | null;
}

export class MemoryIntake implements WebhookIntake {
  readonly sources: (WebhookSource & { revoked?: boolean })[] = [];
  readonly events = new Map<string, StoredEvent>();
  readonly refusals: { sourceId: number; reason: string }[] = [];

  addSource(name: string, kind: ConnectorKind, secret: string): WebhookSource {
    const source = { id: this.sources.length + 1, name, kind, secret };
    this.sources.push(source);
    return source;
  }

  async findSource(kind: ConnectorKind, name: string): Promise<WebhookSource | null> {
    return this.sources.find((s) => s.kind === kind && s.name === name && !s.revoked) ?? null;
  }

  async storeTracks(source: WebhookSource, tracks: readonly { message: TrackMessage; accountExternalId: string | null }[]) {
    let stored = 0;
    let waiting = 0;
    for (const t of tracks) {
      const key = `${source.id}:${t.message.messageId}`;
      if (this.events.has(key)) continue;
      this.events.set(key, { sourceId: source.id, message: t.message, accountExternalId: t.accountExternalId });
      stored += 1;
      if (t.accountExternalId === null) waiting += 1;
    }
    return { stored, duplicates: tracks.length - stored, waiting };
  }

  async ingestSegmentMessages(source: WebhookSource, messages: readonly Record<string, unknown>[]) {
    const refused: { index: number; error: string }[] = [];
    let stored = 0;
    let duplicates = 0;
    messages.forEach((m, index) => {
      if (typeof m.messageId !== 'string') return void refused.push({ index, error: 'messageId is required' });
      const key = `${source.id}:${m.messageId}`;
      if (this.events.has(key)) return void (duplicates += 1);
      const context = typeof m.context === 'object' && m.context !== null ? (m.context as Record<string, unknown>) : {};
      this.events.set(key, { sourceId: source.id, message: m, accountExternalId: typeof context.groupId === 'string' ? context.groupId : null });
      stored += 1;
    });
    return { stored, duplicates, waiting: 0, refused };
  }

  async recordRefusal(source: WebhookSource, reason: string): Promise<void> {
    this.refusals.push({ sourceId: source.id, reason });
  }
}
