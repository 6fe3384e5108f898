// A user's open follow-ups (alerts they claimed or on accounts they own),
// newest first, with the true count however many there are.
import type { Prisma } from '../db/database.js';

export interface FollowUp {
  alertId: number;
  accountName: string;
  externalId: string;
  state: string;
  claimedBy: string | null;
  openedAt: Date;
}

export async function listOpenFollowUps(prisma: Prisma, userId: string, limit: number): Promise<{ entries: FollowUp[]; total: number }> {
  const where = { openKey: { not: null }, OR: [{ claimedBy: userId }, { account: { ownerSlackUserId: userId } }] };
  const [rows, total] = await Promise.all([
    prisma.alert.findMany({ where, include: { account: { select: { name: true, externalId: true } } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit }),
    prisma.alert.count({ where }),
  ]);
  return {
    total,
    entries: rows.map((a) => ({ alertId: a.id, accountName: a.account.name, externalId: a.account.externalId, state: a.state, claimedBy: a.claimedBy, openedAt: a.createdAt })),
  };
}
