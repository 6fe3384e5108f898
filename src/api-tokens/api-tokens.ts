// Ingestion API tokens: shown once, stored only as a sha256 hash, compared in
// constant time, revocable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Prisma } from '../db/database.js';

const PREFIX = 'ahk_';

/** An expected refusal about a token name or id, printed as one line. */
export class TokenNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenNameError';
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Names are unique among active tokens (any case), so `token revoke NAME` means
 * one token. The check and the insert share a transaction, under an advisory
 * lock so two simultaneous creates cannot both pass the check.
 */
export async function createApiToken(prisma: Prisma, name: string): Promise<{ id: number; token: string }> {
  const trimmed = name.trim();
  if (!/^[\w .@-]{1,60}$/.test(trimmed)) throw new RangeError('token names are 1–60 letters, digits, spaces, dots, dashes or @');
  if (/^\d+$/.test(trimmed)) throw new RangeError('a token name needs a letter: plain numbers are token ids in `token revoke`');
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await prisma.$transaction(async (tx) => {
    await lockTokenNames(tx);
    const taken = await tx.apiToken.findFirst({ where: { revokedAt: null, name: { equals: trimmed, mode: 'insensitive' } }, select: { id: true, name: true } });
    if (taken) throw new TokenNameError(`an active token is already named "${taken.name}" (id ${taken.id}); pick another name, or revoke that one first`);
    return tx.apiToken.create({ data: { name: trimmed, tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) } });
  });
  return { id: row.id, token };
}

type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

/** Transaction-scoped: released at commit or rollback. */
async function lockTokenNames(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('account-health:api-token-names'))::text AS locked`;
}

export interface VerifiedToken {
  id: number;
  name: string;
}

export async function verifyApiToken(prisma: Prisma, presented: string, now: Date): Promise<VerifiedToken | null> {
  if (!presented.startsWith(PREFIX) || presented.length > 200) return null;
  const presentedHash = hashToken(presented);
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: presentedHash } });
  // The lookup is by hash; the constant-time comparison keeps the final check free of timing signal.
  if (!row || row.revokedAt !== null) return null;
  if (!timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(presentedHash, 'hex'))) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.id, name: row.name };
}

export async function listApiTokens(prisma: Prisma) {
  return prisma.apiToken.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } });
}

/**
 * Revokes the active token with this name (any case) or id. A number that is
 * both some token's id and another's name is refused rather than guessed.
 */
export async function revokeApiToken(prisma: Prisma, nameOrId: string, now: Date): Promise<{ id: number; name: string } | null> {
  const id = /^\d+$/.test(nameOrId) ? Number(nameOrId) : undefined;
  const candidates = await prisma.apiToken.findMany({
    where: { revokedAt: null, OR: [{ name: { equals: nameOrId, mode: 'insensitive' } }, ...(id !== undefined && Number.isSafeInteger(id) && id <= 2_147_483_647 ? [{ id }] : [])] },
    select: { id: true, name: true },
    orderBy: { id: 'asc' },
  });
  if (candidates.length > 1) {
    throw new TokenNameError(`"${nameOrId}" matches ${candidates.length} active tokens (${candidates.map((t) => `id ${t.id} "${t.name}"`).join(', ')}); revoke one by its id`);
  }
  const [target] = candidates;
  if (!target) return null;
  await prisma.apiToken.update({ where: { id: target.id }, data: { revokedAt: now } });
  return target;
}
