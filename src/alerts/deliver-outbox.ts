// Delivers the Slack outbox: alert posts, in-place updates and thread replies.
// - Replicas never deliver the same row: rows are leased with FOR UPDATE SKIP LOCKED.
// - Never twice: a row is marked `sending` BEFORE the call and the message
//   carries its idempotency key in message metadata; a row found in `sending`
//   (the process died, or a 5xx left it unknown) is first looked up in the
//   channel's history and adopted if it was posted.
// - Rate limits: Retry-After honoured per row; posts to one channel are paced.
import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { classifySlackError, PERMANENT_ERRORS } from './classify-slack-error.js';
import { renderAlert } from './render-alert.js';

export const ALERT_EVENT_TYPE = 'account_health_alert';

export interface OutboxRow {
  id: bigint;
  alert_id: number | null;
  kind: string;
  channel_id: string | null;
  payload: unknown;
  idempotency_key: string;
  status: string;
  attempts: number;
}

export interface DeliveryReport {
  sent: number;
  failed: number;
  deferred: number;
}

export interface DeliveryOptions {
  /** Minimum gap between two posts to one channel (Slack: about 1 per second). */
  channelGapMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Test hook: runs right after Slack accepted a post, before it is recorded (crash injection). */
  afterPost?: (row: OutboxRow) => void | Promise<void>;
}

export class AlertDeliverer {
  private readonly lastPostAt = new Map<string, number>();
  private readonly gap: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly deps: { db: Database; slack: WebClient; logger: Logger; clock: () => Date },
    private readonly options: DeliveryOptions = {},
  ) {
    this.gap = options.channelGapMs ?? 1_100;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Leases due rows and delivers them: channels in parallel, each channel in order. */
  async deliverDue(limit = 200): Promise<DeliveryReport> {
    const rows = await this.lease(limit);
    const report: DeliveryReport = { sent: 0, failed: 0, deferred: 0 };
    const byChannel = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const key = row.channel_id ?? '';
      byChannel.set(key, [...(byChannel.get(key) ?? []), row]);
    }
    const queues = [...byChannel.values()];
    const workers = Array.from({ length: Math.min(8, queues.length) }, async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const row of queue) {
          const outcome = await this.deliverOne(row).catch(async (error: unknown) => {
            this.deps.logger.error('alert delivery failed unexpectedly', { error, outbox: String(row.id) });
            await this.retryLater(row, `unexpected: ${error instanceof Error ? error.message : String(error)}`, null, 'sending');
            return 'deferred' as const;
          });
          report[outcome] += 1;
        }
      }
    });
    await Promise.all(workers);
    return report;
  }

  private async lease(limit: number): Promise<OutboxRow[]> {
    const now = this.deps.clock();
    return this.deps.db.prisma.$queryRaw<OutboxRow[]>`
      UPDATE slack_outbox SET locked_until = ${new Date(now.getTime() + this.leaseMs)}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM slack_outbox
        WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, alert_id, kind, channel_id, payload, idempotency_key, status, attempts`;
  }

  private async deliverOne(row: OutboxRow): Promise<keyof DeliveryReport> {
    const prisma = this.deps.db.prisma;
    if (!row.channel_id || row.alert_id === null) return this.fail(row, 'no channel to deliver to');
    const alert = await prisma.alert.findUnique({ where: { id: row.alert_id } });
    if (!alert) return this.fail(row, 'alert no longer exists');
    if (row.kind !== 'post' && !alert.slackTs) {
      // The post itself is not out yet: updates and replies wait for it.
      await this.retryLater(row, 'waiting for the alert post', 2, row.status);
      return 'deferred';
    }
    if (row.status === 'sending' && row.kind !== 'update') {
      const found = await this.findPosted(row);
      if (found) {
        await this.recordSent(row, found);
        return 'sent';
      }
    }
    await this.paceChannel(row.channel_id);
    try {
      if (row.kind === 'update') {
        const message = await renderAlert(prisma, row.alert_id, this.deps.clock());
        await this.deps.slack.chat.update({ channel: row.channel_id, ts: alert.slackTs ?? '', text: message.text, blocks: message.blocks });
        await this.recordSent(row, alert.slackTs ?? '');
        return 'sent';
      }
      await prisma.slackOutbox.update({ where: { id: row.id }, data: { status: 'sending' } });
      const metadata = { event_type: ALERT_EVENT_TYPE, event_payload: { idempotency_key: row.idempotency_key } };
      const result =
        row.kind === 'post'
          ? await this.postAlert(row, metadata)
          : await this.deps.slack.chat.postMessage({ channel: row.channel_id, thread_ts: alert.slackTs ?? '', text: replyText(row.payload), metadata });
      this.lastPostAt.set(row.channel_id, Date.now());
      await this.options.afterPost?.(row);
      await this.recordSent(row, typeof result.ts === 'string' ? result.ts : '');
      return 'sent';
    } catch (error) {
      return this.handleFailure(row, error);
    }
  }

  private async postAlert(row: OutboxRow, metadata: { event_type: string; event_payload: Record<string, string> }) {
    const message = await renderAlert(this.deps.db.prisma, row.alert_id ?? 0, this.deps.clock());
    return this.deps.slack.chat.postMessage({ channel: row.channel_id ?? '', text: message.text, blocks: message.blocks, metadata, unfurl_links: false });
  }

  private async handleFailure(row: OutboxRow, error: unknown): Promise<keyof DeliveryReport> {
    const failure = classifySlackError(error);
    if (failure.kind === 'rate_limited') {
      await this.retryLater(row, `rate limited (Retry-After ${failure.retryAfterSeconds}s)`, failure.retryAfterSeconds, 'pending');
      return 'deferred';
    }
    if (failure.kind === 'platform') {
      if (failure.error === 'not_in_channel' && row.channel_id) {
        const joined = await this.deps.slack.conversations.join({ channel: row.channel_id }).then(() => true, () => false);
        if (joined) {
          await this.retryLater(row, 'joined the channel; retrying', 0, 'pending');
          return 'deferred';
        }
        return this.fail(row, 'not_in_channel: the bot could not join (private channel?) — invite @account-health to the channel');
      }
      if (PERMANENT_ERRORS.has(failure.error) || row.attempts >= this.maxAttempts) return this.fail(row, failure.error);
      await this.retryLater(row, failure.error, null, 'pending');
      return 'deferred';
    }
    // 5xx or timeout: Slack may have posted it, so keep `sending` and look before posting again.
    if (row.attempts >= this.maxAttempts) return this.fail(row, failure.detail);
    await this.retryLater(row, failure.detail, null, row.kind === 'update' ? 'pending' : 'sending');
    return 'deferred';
  }

  private async findPosted(row: OutboxRow): Promise<string | null> {
    const history = await this.deps.slack.conversations.history({ channel: row.channel_id ?? '', limit: 100, include_all_metadata: true });
    for (const message of history.messages ?? []) {
      const payload: unknown = message.metadata?.event_payload;
      const key = typeof payload === 'object' && payload !== null && 'idempotency_key' in payload ? payload.idempotency_key : undefined;
      if (message.metadata?.event_type === ALERT_EVENT_TYPE && key === row.idempotency_key && message.ts) return message.ts;
    }
    return null;
  }

  private async recordSent(row: OutboxRow, ts: string): Promise<void> {
    const prisma = this.deps.db.prisma;
    await prisma.$transaction([
      prisma.slackOutbox.update({ where: { id: row.id }, data: { status: 'sent', slackTs: ts, sentAt: this.deps.clock(), lockedUntil: null, lastError: null } }),
      ...(row.kind === 'post' && row.alert_id !== null ? [prisma.alert.update({ where: { id: row.alert_id }, data: { slackTs: ts, slackChannelId: row.channel_id } })] : []),
    ]);
  }

  private async retryLater(row: OutboxRow, why: string, afterSeconds: number | null, status: string): Promise<void> {
    const backoff = afterSeconds ?? Math.min(300, 2 ** Math.min(row.attempts, 8));
    await this.deps.db.prisma.slackOutbox.update({
      where: { id: row.id },
      data: { status, lastError: why.slice(0, 500), lockedUntil: null, nextAttemptAt: new Date(this.deps.clock().getTime() + backoff * 1_000) },
    });
  }

  private async fail(row: OutboxRow, why: string): Promise<'failed'> {
    this.deps.logger.error('alert message could not be delivered', { outbox: String(row.id), alert: row.alert_id, channel: row.channel_id, kind: row.kind, error: why });
    await this.deps.db.prisma.slackOutbox.update({ where: { id: row.id }, data: { status: 'failed', lastError: why.slice(0, 500), lockedUntil: null } });
    return 'failed';
  }

  private async paceChannel(channel: string): Promise<void> {
    const last = this.lastPostAt.get(channel);
    const wait = last === undefined ? 0 : last + this.gap - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function replyText(payload: unknown): string {
  return typeof payload === 'object' && payload !== null && 'text' in payload && typeof payload.text === 'string' ? payload.text : 'Alert updated.';
}
