// Delivers the Slack outbox: alert posts, in-place updates and thread replies.
// - Replicas never deliver the same row: rows are leased (FOR UPDATE SKIP
//   LOCKED), and each send first claims its row with the lease as a fencing
//   token, so a row whose lease ran out while it waited is skipped, not re-sent.
// - Never twice: posts and replies are marked `sending` at the claim and carry
//   their idempotency key in message metadata; a row found `sending` (crash,
//   5xx, timeout) is first looked up in Slack and adopted if it is there. The
//   outbox owns all retries: its Slack client never retries inside a call.
// - Rate limits: ~1 message per second per channel; a 429 defers the whole
//   channel until Retry-After has passed.
// - Ends delivered or visibly failed: permanent errors, max attempts and
//   unexpected errors end in `failed` (with everything queued behind a failed
//   post), logged with the alert; a channel that cannot take an alert post
//   sends it to ALERT_FALLBACK_CHANNEL_ID when one is configured.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { context, MAX_MESSAGE_BLOCKS } from '../slack/views/block-limits.js';
import type { SlackMessage } from '../slack/views/health-views.js';
import { DELIVERY_SLACK_TUNING, deliveryClientFor } from '../slack/web-client.js';
import { ChannelPacer } from './channel-pacer.js';
import { classifySlackError, PERMANENT_ERRORS } from './classify-slack-error.js';
import { ALERT_EVENT_TYPE, findPosted } from './find-posted.js';
import {
  claimRow, deferChannel, failRow, findPostRow, leaseDueRows, recordSent, releaseRow, rerouteAlertPost,
  type OutboxRow, type Release,
} from './outbox-store.js';
import { renderAlert } from './render-alert.js';
import { withAlertChart } from './alert-chart.js';

export { ALERT_EVENT_TYPE } from './find-posted.js';
export type { OutboxRow } from './outbox-store.js';

/** Errors that mean the channel itself cannot take the alert: rerouted to the fallback channel if there is one. */
const CHANNEL_ERRORS = new Set(['channel_not_found', 'is_archived']);

export interface DeliveryReport {
  sent: number;
  failed: number;
  deferred: number;
}
type Outcome = keyof DeliveryReport | 'lost';

export interface DeliveryDeps {
  db: Database;
  /** Any client for the bot token; delivery talks to Slack through a retry-free twin of it. */
  slack: WebClient;
  logger: Logger;
  clock: () => Date;
  config: Pick<Config, 'LOG_LEVEL' | 'ALERT_FALLBACK_CHANNEL_ID'>;
}

export interface DeliveryOptions {
  /** Minimum gap between two messages to one channel (Slack: about 1 per second). */
  channelGapMs?: number;
  /** How long a leased row stays ours; a claim renews it right before each send. Keep it well above slackTimeoutMs. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Timeout of one Slack call (the outbox retries across calls, never inside one). */
  slackTimeoutMs?: number;
  /** How long a post waits for its chart before going without it (default ALERT_CHART_BUDGET_MS). */
  chartBudgetMs?: number;
  /** Test hook: runs right after Slack accepted a post, before it is recorded (crash injection). */
  afterPost?: (row: OutboxRow) => void | Promise<void>;
}

/** One row's trip through a delivery pass; `row` carries the current lease token. */
interface Attempt {
  row: OutboxRow;
  claimed: boolean;
}

const rerouteNote = z.object({ reroutedFrom: z.string().nullable(), reason: z.string() });

export class AlertDeliverer {
  private readonly slack: WebClient;
  private readonly pacer: ChannelPacer;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly options: DeliveryOptions = {},
  ) {
    this.slack = deliveryClientFor(deps.slack, deps.logger, deps.config.LOG_LEVEL, {
      ...DELIVERY_SLACK_TUNING,
      timeoutMs: options.slackTimeoutMs ?? DELIVERY_SLACK_TUNING.timeoutMs,
    });
    this.pacer = new ChannelPacer(options.channelGapMs ?? 1_100, deps.clock);
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Leases due rows and delivers them: channels in parallel, each channel in order. */
  async deliverDue(limit = 200): Promise<DeliveryReport> {
    const rows = await leaseDueRows(this.deps.db.prisma, this.deps.clock(), this.leaseMs, limit);
    const report: DeliveryReport = { sent: 0, failed: 0, deferred: 0 };
    const byChannel = new Map<string, OutboxRow[]>();
    for (const row of rows) byChannel.set(row.channel_id ?? '', [...(byChannel.get(row.channel_id ?? '') ?? []), row]);
    const queues = [...byChannel.values()];
    const workers = Array.from({ length: Math.min(8, queues.length) }, async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const row of queue) {
          const outcome = await this.deliverSafely({ row, claimed: false });
          if (outcome !== 'lost') report[outcome] += 1;
        }
      }
    });
    const settled = await Promise.allSettled(workers);
    const broken = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (broken) throw broken.reason;
    return report;
  }

  private async deliverSafely(attempt: Attempt): Promise<Outcome> {
    try {
      return await this.deliverOne(attempt);
    } catch (error) {
      return this.afterUnexpected(attempt, error);
    }
  }

  private async deliverOne(attempt: Attempt): Promise<Outcome> {
    const prisma = this.deps.db.prisma;
    const row = attempt.row;
    if (!row.channel_id || row.alert_id === null) return this.fail(attempt, 'no channel to deliver to');
    const blockedUntil = this.pacer.blockedUntil(row.channel_id);
    if (blockedUntil) return this.release(attempt, { status: row.status === 'sending' ? 'sending' : 'pending', nextAttemptAt: blockedUntil, why: 'channel rate limited: waiting out Retry-After' });
    const alert = await prisma.alert.findUnique({ where: { id: row.alert_id }, select: { slackTs: true } });
    if (!alert) return this.fail(attempt, 'alert no longer exists');
    if (row.kind !== 'post' && !alert.slackTs) return this.waitForPost(attempt, row.alert_id);

    await this.pacer.waitTurn(row.channel_id);
    const claimed = await claimRow(prisma, row, this.deps.clock(), this.leaseMs);
    if (!claimed) {
      this.deps.logger.info('outbox row taken over by another deliverer; skipped', { outbox: String(row.id) });
      return 'lost';
    }
    attempt.row = claimed;
    attempt.claimed = true;
    if (claimed.kind !== 'update' && row.status === 'sending') {
      const lookup = { channelId: row.channel_id, idempotencyKey: row.idempotency_key, threadTs: claimed.kind === 'post' ? null : alert.slackTs, createdAt: row.created_at };
      const found = await findPosted(this.slack, lookup);
      if (found) return this.recorded(claimed, found);
    }
    const message = claimed.kind === 'thread_reply' ? null : await this.render(claimed);
    try {
      const ts = await this.send(claimed, alert.slackTs ?? '', message);
      if (claimed.kind !== 'update') await this.options.afterPost?.(claimed);
      return await this.recorded(claimed, ts);
    } catch (error) {
      return this.afterSlackFailure(attempt, error);
    }
  }

  private async send(row: OutboxRow, alertTs: string, message: SlackMessage | null): Promise<string> {
    const channel = row.channel_id ?? '';
    if (row.kind === 'update') {
      await this.slack.chat.update({ channel, ts: alertTs, text: message?.text ?? '', ...(message ? { blocks: message.blocks } : {}) });
      return alertTs;
    }
    const metadata = { event_type: ALERT_EVENT_TYPE, event_payload: { idempotency_key: row.idempotency_key } };
    try {
      const result = row.kind === 'post'
        ? await this.slack.chat.postMessage({ channel, text: message?.text ?? '', ...(message ? { blocks: message.blocks } : {}), metadata, unfurl_links: false })
        : await this.slack.chat.postMessage({ channel, thread_ts: alertTs, text: replyText(row.payload), metadata });
      return typeof result.ts === 'string' ? result.ts : '';
    } finally {
      this.pacer.markSent(channel);
    }
  }

  /** The alert message as it stands now, with a note when it was rerouted to the fallback channel. */
  private async render(row: OutboxRow): Promise<SlackMessage> {
    const alertId = row.alert_id ?? 0;
    const now = this.deps.clock();
    const chartDeps = { prisma: this.deps.db.prisma, slack: this.slack, logger: this.deps.logger };
    const message = await withAlertChart(chartDeps, alertId, now, await renderAlert(this.deps.db.prisma, alertId, now), this.options.chartBudgetMs);
    const payload = row.kind === 'post' ? row.payload : (await findPostRow(this.deps.db.prisma, alertId))?.payload;
    const note = rerouteNote.safeParse(payload);
    if (!note.success) return message;
    const from = note.data.reroutedFrom ? `<#${note.data.reroutedFrom}>` : 'the account channel';
    const blocks = [...message.blocks.slice(0, MAX_MESSAGE_BLOCKS - 1), context(`:twisted_rightwards_arrows: Posted here because ${from} could not take it (${note.data.reason}).`)];
    return { ...message, blocks };
  }

  private async recorded(row: OutboxRow, ts: string): Promise<Outcome> {
    if (!(await recordSent(this.deps.db.prisma, row, ts, this.deps.clock()))) {
      this.deps.logger.warn('delivered, but the lease passed to another deliverer first; it will find this message and adopt it', { outbox: String(row.id), ts });
    }
    return 'sent';
  }

  private async waitForPost(attempt: Attempt, alertId: number): Promise<Outcome> {
    const post = await findPostRow(this.deps.db.prisma, alertId);
    if (!post) return this.fail(attempt, 'the alert has no post to update');
    if (post.status === 'failed') return this.fail(attempt, `not sent: the alert post failed (${post.lastError ?? 'unknown error'})`);
    const status = attempt.row.status === 'sending' ? 'sending' : 'pending';
    return this.release(attempt, { status, nextAttemptAt: this.after(2), why: 'waiting for the alert post' });
  }

  private async afterSlackFailure(attempt: Attempt, error: unknown): Promise<Outcome> {
    const row = attempt.row;
    const channel = row.channel_id ?? '';
    const failure = classifySlackError(error);
    if (failure.kind === 'rate_limited') {
      const until = this.after(failure.retryAfterSeconds);
      this.pacer.block(channel, until);
      const outcome = await this.release(attempt, { status: 'pending', nextAttemptAt: until, why: `rate limited (Retry-After ${failure.retryAfterSeconds}s)`, attemptsDelta: -1 });
      const waiting = await deferChannel(this.deps.db.prisma, channel, until);
      this.deps.logger.info('channel rate limited: its queue waits out Retry-After', { channel, until: until.toISOString(), waiting });
      return outcome;
    }
    if (failure.kind === 'platform') {
      if (failure.error === 'not_in_channel') return this.joinAndRetry(attempt);
      if (CHANNEL_ERRORS.has(failure.error)) return this.channelCannotTakeIt(attempt, failure.error);
      if (PERMANENT_ERRORS.has(failure.error) || row.attempts >= this.maxAttempts) return this.fail(attempt, failure.error);
      return this.release(attempt, { status: 'pending', nextAttemptAt: this.backoff(row.attempts), why: failure.error });
    }
    // 5xx, timeout, or a crash after the call: Slack may have it, so stay `sending` and look before posting again.
    this.deps.logger.warn('alert message outcome unknown; will look in Slack before retrying', { outbox: String(row.id), error: failure.detail, attempts: row.attempts });
    if (row.attempts >= this.maxAttempts) return this.fail(attempt, `gave up after ${row.attempts} attempts: ${failure.detail}`);
    return this.release(attempt, { status: row.kind === 'update' ? 'pending' : 'sending', nextAttemptAt: this.backoff(row.attempts), why: failure.detail });
  }

  /** Public channels: the bot joins and tries again. Private ones need an invite. */
  private async joinAndRetry(attempt: Attempt): Promise<Outcome> {
    const channel = attempt.row.channel_id ?? '';
    const joinFailure = await this.slack.conversations.join({ channel }).then(() => null, (error: unknown) => classifySlackError(error));
    if (joinFailure === null) return this.release(attempt, { status: 'pending', nextAttemptAt: this.deps.clock(), why: 'joined the channel; retrying' });
    if (joinFailure.kind === 'platform') {
      return this.channelCannotTakeIt(attempt, `not_in_channel: the bot could not join (${joinFailure.error}; private channel?) — invite @account-health to the channel`);
    }
    return this.release(attempt, { status: 'pending', nextAttemptAt: this.backoff(attempt.row.attempts), why: 'not_in_channel; joining failed for now' });
  }

  private async channelCannotTakeIt(attempt: Attempt, why: string): Promise<Outcome> {
    const row = attempt.row;
    const fallback = this.deps.config.ALERT_FALLBACK_CHANNEL_ID;
    if (row.kind !== 'post' || !fallback || row.channel_id === fallback) return this.fail(attempt, why);
    if (!(await rerouteAlertPost(this.deps.db.prisma, row, fallback, why, this.deps.clock()))) return 'lost';
    this.deps.logger.warn('alert rerouted to the fallback channel', { alert: row.alert_id, channel: row.channel_id, fallback, error: why });
    return 'deferred';
  }

  /** Errors outside the Slack call (lookups, rendering, the database) count as attempts too, and end failed. */
  private async afterUnexpected(attempt: Attempt, error: unknown): Promise<Outcome> {
    const row = attempt.row;
    const attempts = attempt.claimed ? row.attempts : row.attempts + 1;
    const why = `unexpected: ${error instanceof Error ? error.message : String(error)}`;
    this.deps.logger.error('alert delivery failed unexpectedly', { error, outbox: String(row.id), alert: row.alert_id, attempts });
    if (attempts >= this.maxAttempts) return this.fail(attempt, `gave up after ${attempts} attempts: ${why}`);
    const status = row.kind !== 'update' && (attempt.claimed || row.status === 'sending') ? 'sending' : 'pending';
    return this.release(attempt, { status, nextAttemptAt: this.backoff(attempts), why, attemptsDelta: attempt.claimed ? 0 : 1 });
  }

  private async release(attempt: Attempt, release: Release): Promise<Outcome> {
    return (await releaseRow(this.deps.db.prisma, attempt.row, release)) ? 'deferred' : 'lost';
  }

  private async fail(attempt: Attempt, why: string): Promise<Outcome> {
    const row = attempt.row;
    if (!(await failRow(this.deps.db.prisma, row, why))) return 'lost';
    this.deps.logger.error('alert message could not be delivered', {
      outbox: String(row.id), alert: row.alert_id, channel: row.channel_id, kind: row.kind, error: why,
      ...(row.kind === 'post' ? { consequence: 'the alert was never posted; its updates and replies are marked failed too' } : {}),
    });
    return 'failed';
  }

  private backoff(attempts: number): Date {
    return this.after(Math.min(300, 2 ** Math.min(Math.max(attempts, 1), 8)));
  }

  private after(seconds: number): Date {
    return new Date(this.deps.clock().getTime() + seconds * 1_000);
  }
}

function replyText(payload: unknown): string {
  return typeof payload === 'object' && payload !== null && 'text' in payload && typeof payload.text === 'string' ? payload.text : 'Alert updated.';
}
