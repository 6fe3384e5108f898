// Periodic alert upkeep: re-surface an unclaimed alert once, mentioning the
// account owner; record each closed alert's outcome 30 days on.
import type { Prisma } from '../db/database.js';
import { loadActiveModels } from '../models/model-store.js';
import { BANDS } from '../scoring/types.js';
import { bandRank, isBand } from './evaluate-alert.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const OUTCOME_WINDOW_DAYS = 30;

export async function escalateUnclaimed(prisma: Prisma, now: Date): Promise<number> {
  const models = await loadActiveModels(prisma);
  const hours = Math.min(...[...models.byKey.values()].map((m) => m.alertConfig.escalateAfterHours));
  const due = await prisma.alert.findMany({
    where: { state: 'open', escalatedAt: null, slackTs: { not: null }, createdAt: { lte: new Date(now.getTime() - hours * HOUR_MS) } },
    include: { account: { select: { ownerSlackUserId: true, segment: true } } },
  });
  let escalated = 0;
  for (const alert of due) {
    const model = models.forSegment(alert.account.segment);
    if (alert.createdAt.getTime() > now.getTime() - model.alertConfig.escalateAfterHours * HOUR_MS) continue;
    const who = alert.account.ownerSlackUserId ? `<@${alert.account.ownerSlackUserId}>` : 'Team';
    const channelId = alert.slackChannelId;
    // The mark and its message commit together: a crash between them must not
    // leave an alert marked escalated whose reminder was never queued.
    const done = await prisma.$transaction(async (tx) => {
      const claimed = await tx.alert.updateMany({ where: { id: alert.id, escalatedAt: null, state: 'open' }, data: { escalatedAt: now } });
      if (claimed.count !== 1 || !channelId) return false;
      await tx.slackOutbox.create({
        data: {
          alertId: alert.id, kind: 'thread_reply', channelId,
          payload: { text: `${who}, this alert has been unclaimed for ${model.alertConfig.escalateAfterHours} hours. React :eyes: to own the follow-up.` },
          idempotencyKey: `alert:${alert.id}:escalation`,
          nextAttemptAt: now,
        },
      });
      return true;
    });
    if (!done) continue;
    escalated += 1;
  }
  return escalated;
}

/**
 * recovered: back to the band of the state the alert was judged against (or to
 * watch or better when it had none) within 30 days of closing; churned: churned
 * within those days; else not_recovered once the window has passed.
 */
export async function recordOutcomes(prisma: Prisma, now: Date): Promise<number> {
  const closed = await prisma.alert.findMany({
    where: { openKey: null, outcome: null, resolvedAt: { not: null } },
    include: { account: { select: { churnedOn: true } } },
    take: 1_000,
  });
  const baselineIds = closed.map((a) => a.baselineSnapshotId).filter((id): id is bigint => id !== null);
  const baselines = new Map(
    (await prisma.scoreSnapshot.findMany({ where: { id: { in: baselineIds } }, select: { id: true, band: true } })).map((b) => [b.id.toString(), b.band]),
  );
  let judged = 0;
  for (const alert of closed) {
    const closedAt = alert.resolvedAt ?? alert.updatedAt;
    const windowEnd = new Date(closedAt.getTime() + OUTCOME_WINDOW_DAYS * DAY_MS);
    const churned = alert.account.churnedOn !== null && alert.account.churnedOn.getTime() <= windowEnd.getTime();
    const baselineBand = alert.baselineSnapshotId === null ? undefined : baselines.get(alert.baselineSnapshotId.toString());
    const goodBands = baselineBand && isBand(baselineBand) ? BANDS.filter((b) => bandRank(b) <= bandRank(baselineBand)) : ['healthy', 'watch'];
    const recovered = await prisma.scoreSnapshot.count({ where: { accountId: alert.accountId, asOf: { gt: alert.createdAt, lte: windowEnd }, band: { in: goodBands } } });
    const outcome = churned ? 'churned' : recovered > 0 ? 'recovered' : now.getTime() >= windowEnd.getTime() ? 'not_recovered' : null;
    if (!outcome) continue;
    await prisma.alert.update({ where: { id: alert.id }, data: { outcome, outcomeAt: now } });
    judged += 1;
  }
  return judged;
}

export interface AlertStats {
  total: number;
  claimed: number;
  claimRate: number | null;
  medianMinutesToClaim: number | null;
  judged: number;
  recovered: number;
  recoveryRate: number | null;
}

export async function computeAlertStats(prisma: Prisma, since: Date): Promise<AlertStats> {
  const alerts = await prisma.alert.findMany({ where: { createdAt: { gte: since } }, select: { createdAt: true, claimedAt: true, claimedBy: true, resolvedBy: true, outcome: true } });
  const claimedTimes = alerts.filter((a) => a.claimedAt).map((a) => ((a.claimedAt?.getTime() ?? 0) - a.createdAt.getTime()) / 60_000).sort((x, y) => x - y);
  const everClaimed = alerts.filter((a) => a.claimedAt || (a.resolvedBy && a.resolvedBy !== 'system')).length;
  const judged = alerts.filter((a) => a.outcome !== null);
  const recovered = judged.filter((a) => a.outcome === 'recovered').length;
  const mid = Math.floor(claimedTimes.length / 2);
  return {
    total: alerts.length,
    claimed: everClaimed,
    claimRate: alerts.length > 0 ? everClaimed / alerts.length : null,
    medianMinutesToClaim: claimedTimes.length === 0 ? null : claimedTimes.length % 2 ? (claimedTimes[mid] ?? 0) : ((claimedTimes[mid - 1] ?? 0) + (claimedTimes[mid] ?? 0)) / 2,
    judged: judged.length,
    recovered,
    recoveryRate: judged.length > 0 ? recovered / judged.length : null,
  };
}
