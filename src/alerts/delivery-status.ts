// Alerts that never reached Slack, for people to see: the outbox keeps why
// each post failed for good (channel gone, archived, private, too many
// failures), and the alert it belongs to.
import type { Prisma } from '../db/database.js';

export interface UndeliveredAlert {
  alertId: number;
  accountName: string;
  channelId: string | null;
  error: string;
}

/** Alerts raised since `since` whose Slack post failed for good, newest first. */
export async function listUndeliveredAlerts(prisma: Prisma, since: Date, limit = 5): Promise<{ total: number; shown: UndeliveredAlert[] }> {
  const where = { kind: 'post', status: 'failed', alert: { createdAt: { gte: since } } };
  const [total, rows] = await Promise.all([
    prisma.slackOutbox.count({ where }),
    prisma.slackOutbox.findMany({
      where,
      orderBy: { id: 'desc' },
      take: limit,
      select: { alertId: true, channelId: true, lastError: true, alert: { select: { account: { select: { name: true } } } } },
    }),
  ]);
  return {
    total,
    shown: rows.map((r) => ({ alertId: r.alertId ?? 0, accountName: r.alert?.account.name ?? 'unknown account', channelId: r.channelId, error: r.lastError ?? 'unknown error' })),
  };
}

export interface UndeliveredAdvice {
  channelId: string | null;
  /** Why it did not reach Slack, as the delivery recorded it. */
  reason: string;
  /** What to do about it. */
  fix: string;
}

/** Why an alert's post did not reach Slack and what would make the next one arrive. */
export function adviseUndelivered(channelId: string | null, error: string | null): UndeliveredAdvice {
  const fallback = 'or set ALERT_FALLBACK_CHANNEL_ID so such alerts go to a fallback channel';
  if (channelId === null) {
    return { channelId, reason: 'the account has no Slack channel', fix: `set the account's slack_channel_id (CSV or API), ${fallback}` };
  }
  const reason = error ?? 'the post failed';
  if (/not_in_channel|channel_not_found|is_archived|private/.test(reason)) {
    return { channelId, reason, fix: `invite the bot to <#${channelId}> (\`/invite @account-health\`) or point the account at another channel, ${fallback}` };
  }
  return { channelId, reason, fix: `check the bot token and <#${channelId}>, ${fallback}` };
}
