// Which account an alert belongs to (a /health reply's Claim button carries the alert id).
import type { Prisma } from '../db/database.js';

export async function findAlertAccount(prisma: Prisma, alertId: number): Promise<number | null> {
  const alert = await prisma.alert.findUnique({ where: { id: alertId }, select: { accountId: true } });
  return alert?.accountId ?? null;
}
