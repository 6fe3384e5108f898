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
