// Raw events are kept for EVENT_RETENTION_DAYS (by their timestamp), then
// deleted in slices so a first prune of a large backlog never holds one huge
// transaction. Derived observations stay: they are the history.
import type { Prisma } from '../db/database.js';

const SLICE = 50_000;
const DAY_MS = 86_400_000;

export async function pruneEvents(prisma: Pick<Prisma, '$executeRaw'>, now: Date, retentionDays: number): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * DAY_MS);
  let total = 0;
  for (;;) {
    const deleted = await prisma.$executeRaw`
      DELETE FROM events WHERE id IN (SELECT id FROM events WHERE timestamp < ${before} LIMIT ${SLICE})`;
    total += deleted;
    if (deleted < SLICE) return total;
  }
}
