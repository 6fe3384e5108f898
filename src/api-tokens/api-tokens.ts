// Ingestion API tokens: shown once, stored only as a sha256 hash, compared in
// constant time, revocable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Prisma } from '../db/database.js';

const PREFIX = 'ahk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(prisma: Prisma, name: string): Promise<{ id: number; token: string }> {
  const trimmed = name.trim();
  if (!/^[\w .@-]{1,60}$/.test(trimmed)) throw new RangeError('token names are 1–60 letters, digits, spaces, dots, dashes or @');
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await prisma.apiToken.create({ data: { name: trimmed, tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) } });
  return { id: row.id, token };
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

export async function revokeApiToken(prisma: Prisma, nameOrId: string, now: Date): Promise<number> {
  const id = /^\d+$/.test(nameOrId) ? Number(nameOrId) : undefined;
  const result = await prisma.apiToken.updateMany({ where: { revokedAt: null, OR: [{ name: nameOrId }, ...(id !== undefined ? [{ id }] : [])] }, data: { revokedAt: now } });
  return result.count;
}
