// Claiming and resolving follow-ups. Each change is one conditional UPDATE, so
// with any number of people (and replicas) racing, exactly one claim wins.
import type { Prisma } from '../db/database.js';

export type ClaimOutcome =
  | { kind: 'claimed'; alertId: number }
  | { kind: 'already_claimed'; alertId: number; by: string }
  | { kind: 'closed'; alertId: number }
  | { kind: 'not_found' };

async function enqueueRefresh(prisma: Prisma, alertId: number, channelId: string | null, stamp: string, due: Date): Promise<void> {
  if (!channelId) return;
  await prisma.slackOutbox.create({ data: { alertId, kind: 'update', channelId, payload: {}, idempotencyKey: `alert:${alertId}:update:${stamp}`, nextAttemptAt: due } });
}

export async function claimAlert(prisma: Prisma, alertId: number, userId: string, now: Date): Promise<ClaimOutcome> {
  const won = await prisma.alert.updateMany({ where: { id: alertId, state: 'open', openKey: { not: null } }, data: { state: 'claimed', claimedBy: userId, claimedAt: now } });
  const alert = await prisma.alert.findUnique({ where: { id: alertId } });
  if (!alert) return { kind: 'not_found' };
  if (won.count === 1) {
    await enqueueRefresh(prisma, alertId, alert.slackChannelId, `claim:${now.getTime()}:${userId}`, now);
    return { kind: 'claimed', alertId };
  }
  if (alert.openKey === null) return { kind: 'closed', alertId };
  return alert.claimedBy === userId ? { kind: 'claimed', alertId } : { kind: 'already_claimed', alertId, by: alert.claimedBy ?? 'someone' };
}

/** Only the claimer's own un-react releases the claim. */
export async function releaseClaim(prisma: Prisma, alertId: number, userId: string, now: Date): Promise<boolean> {
  const released = await prisma.alert.updateMany({ where: { id: alertId, state: 'claimed', claimedBy: userId }, data: { state: 'open', claimedBy: null, claimedAt: null } });
  if (released.count === 1) {
    const alert = await prisma.alert.findUnique({ where: { id: alertId } });
    await enqueueRefresh(prisma, alertId, alert?.slackChannelId ?? null, `release:${now.getTime()}:${userId}`, now);
  }
  return released.count === 1;
}

export async function resolveAlert(prisma: Prisma, alertId: number, userId: string, now: Date): Promise<boolean> {
  const resolved = await prisma.alert.updateMany({ where: { id: alertId, openKey: { not: null } }, data: { state: 'resolved', openKey: null, resolvedBy: userId, resolvedAt: now } });
  if (resolved.count === 1) {
    const alert = await prisma.alert.findUnique({ where: { id: alertId } });
    await enqueueRefresh(prisma, alertId, alert?.slackChannelId ?? null, `resolve:${now.getTime()}:${userId}`, now);
  }
  return resolved.count === 1;
}

export async function findAlertByMessage(prisma: Prisma, channelId: string, ts: string): Promise<number | null> {
  const alert = await prisma.alert.findFirst({ where: { slackChannelId: channelId, slackTs: ts }, select: { id: true } });
  return alert?.id ?? null;
}
