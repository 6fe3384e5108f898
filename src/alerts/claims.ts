// Claiming and resolving follow-ups. Each change is one conditional UPDATE, so
// with any number of people (and replicas) racing, exactly one claim wins. The
// change and the outbox row that refreshes the Slack message commit together:
// a crash (or a failed insert) between them can neither lose the refresh nor
// leave a claim the message never shows.
import type { Prisma } from '../db/database.js';

type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

export type ClaimOutcome =
  | { kind: 'claimed'; alertId: number }
  | { kind: 'already_claimed'; alertId: number; by: string }
  | { kind: 'closed'; alertId: number }
  | { kind: 'not_found' };

async function enqueueRefresh(tx: Tx, alertId: number, stamp: string, due: Date): Promise<void> {
  const alert = await tx.alert.findUnique({ where: { id: alertId }, select: { slackChannelId: true } });
  if (!alert?.slackChannelId) return;
  await tx.slackOutbox.create({ data: { alertId, kind: 'update', channelId: alert.slackChannelId, payload: {}, idempotencyKey: `alert:${alertId}:update:${stamp}`, nextAttemptAt: due } });
}

export async function claimAlert(prisma: Prisma, alertId: number, userId: string, now: Date): Promise<ClaimOutcome> {
  return prisma.$transaction(async (tx) => {
    const won = await tx.alert.updateMany({ where: { id: alertId, state: 'open', openKey: { not: null } }, data: { state: 'claimed', claimedBy: userId, claimedAt: now } });
    if (won.count === 1) {
      await enqueueRefresh(tx, alertId, `claim:${now.getTime()}:${userId}`, now);
      return { kind: 'claimed', alertId };
    }
    const alert = await tx.alert.findUnique({ where: { id: alertId }, select: { openKey: true, claimedBy: true } });
    if (!alert) return { kind: 'not_found' };
    if (alert.openKey === null) return { kind: 'closed', alertId };
    return alert.claimedBy === userId ? { kind: 'claimed', alertId } : { kind: 'already_claimed', alertId, by: alert.claimedBy ?? 'someone' };
  });
}

/** Only the claimer's own un-react releases the claim. */
export async function releaseClaim(prisma: Prisma, alertId: number, userId: string, now: Date): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const released = await tx.alert.updateMany({ where: { id: alertId, state: 'claimed', claimedBy: userId }, data: { state: 'open', claimedBy: null, claimedAt: null } });
    if (released.count === 1) await enqueueRefresh(tx, alertId, `release:${now.getTime()}:${userId}`, now);
    return released.count === 1;
  });
}

export async function resolveAlert(prisma: Prisma, alertId: number, userId: string, now: Date): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const resolved = await tx.alert.updateMany({ where: { id: alertId, openKey: { not: null } }, data: { state: 'resolved', openKey: null, resolvedBy: userId, resolvedAt: now } });
    if (resolved.count === 1) await enqueueRefresh(tx, alertId, `resolve:${now.getTime()}:${userId}`, now);
    return resolved.count === 1;
  });
}

export async function findAlertByMessage(prisma: Prisma, channelId: string, ts: string): Promise<number | null> {
  const alert = await prisma.alert.findFirst({ where: { slackChannelId: channelId, slackTs: ts }, select: { id: true } });
  return alert?.id ?? null;
}
