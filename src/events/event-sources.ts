// Event sources: a Segment-style write key (shown once, stored as sha256,
// compared in constant time), or a provider webhook (Shopify, Stripe,
// Zendesk) with its signing secret. A signing secret has to be usable for
// HMAC, so it is stored as given; it is never printed back.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Prisma } from '../db/database.js';

export const SOURCE_KINDS = ['segment', 'shopify', 'stripe', 'zendesk'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

const WRITE_KEY_PREFIX = 'whk_';

/** An expected refusal about a source (name taken, unknown kind…), printed as one line. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export function hashWriteKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function isSourceKind(value: string): value is SourceKind {
  return (SOURCE_KINDS as readonly string[]).includes(value);
}

export interface CreatedSource {
  id: number;
  name: string;
  kind: SourceKind;
  /** Segment sources: the write key, shown once. */
  writeKey: string | null;
}

type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

/**
 * Names are unique among active sources (any case), so `source revoke NAME`
 * means one source. Check and insert share a transaction under an advisory
 * lock, so two simultaneous creates cannot both pass the check.
 */
export async function createEventSource(prisma: Prisma, input: { name: string; kind?: string; secret?: string }): Promise<CreatedSource> {
  const name = input.name.trim();
  if (!/^[\w.@-]{1,60}$/.test(name)) throw new SourceError('source names are 1–60 letters, digits, dots, dashes, underscores or @ (no spaces: the name appears in webhook URLs)');
  const kind = input.kind ?? 'segment';
  if (!isSourceKind(kind)) throw new SourceError(`unknown kind "${kind}": say ${SOURCE_KINDS.join(', ')}`);
  const secret = input.secret?.trim();
  // A segment source is either a write key for /v1 (no --secret) or, with --secret, the target of
  // Segment's "Webhooks (Actions)" destination at /webhooks/segment/NAME (its shared secret).
  if (kind !== 'segment' && !secret) throw new SourceError(`a ${kind} source needs --secret: the webhook signing secret from ${kind}'s settings`);
  if (secret !== undefined && (secret.length < 8 || secret.length > 500)) throw new SourceError('the signing secret is 8–500 characters');
  const writeKey = kind === 'segment' && !secret ? `${WRITE_KEY_PREFIX}${randomBytes(24).toString('base64url')}` : null;
  const row = await prisma.$transaction(async (tx) => {
    await lockSourceNames(tx);
    const taken = await tx.eventSource.findFirst({ where: { revokedAt: null, name: { equals: name, mode: 'insensitive' } }, select: { id: true, name: true } });
    if (taken) throw new SourceError(`an active source is already named "${taken.name}"; pick another name, or revoke that one first`);
    return tx.eventSource.create({
      data: {
        name,
        kind,
        writeKeyHash: writeKey === null ? null : hashWriteKey(writeKey),
        writeKeyPrefix: writeKey === null ? null : writeKey.slice(0, WRITE_KEY_PREFIX.length + 6),
        signingSecret: secret ?? null,
      },
    });
  });
  return { id: row.id, name: row.name, kind, writeKey };
}

async function lockSourceNames(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('account-health:event-source-names'))::text AS locked`;
}

export interface VerifiedSource {
  id: number;
  name: string;
}

/** The active segment source this write key belongs to, or null. */
export async function verifyWriteKey(prisma: Prisma, presented: string, now: Date): Promise<VerifiedSource | null> {
  if (presented.length === 0 || presented.length > 200) return null;
  const presentedHash = hashWriteKey(presented);
  const row = await prisma.eventSource.findUnique({ where: { writeKeyHash: presentedHash }, select: { id: true, name: true, kind: true, writeKeyHash: true, revokedAt: true, lastUsedAt: true } });
  if (!row || row.revokedAt !== null || row.kind !== 'segment' || row.writeKeyHash === null) return null;
  if (!timingSafeEqual(Buffer.from(row.writeKeyHash, 'hex'), Buffer.from(presentedHash, 'hex'))) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.eventSource.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.id, name: row.name };
}

/** An active source by name (any case), with its signing secret: for webhook verification. */
export async function findActiveSource(prisma: Prisma, name: string) {
  return prisma.eventSource.findFirst({
    where: { revokedAt: null, name: { equals: name, mode: 'insensitive' } },
    select: { id: true, name: true, kind: true, signingSecret: true },
  });
}

export interface SourceListing {
  id: number;
  name: string;
  kind: string;
  prefix: string | null;
  hasSecret: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  events: number;
  /** Events kept but not attributed to an account yet (no group call for their user). */
  waiting: number;
}

export async function listEventSources(prisma: Prisma): Promise<SourceListing[]> {
  const rows = await prisma.$queryRaw<{ id: number; name: string; kind: string; write_key_prefix: string | null; has_secret: boolean; created_at: Date; last_used_at: Date | null; revoked_at: Date | null; events: bigint; waiting: bigint }[]>`
    SELECT s.id, s.name, s.kind, s.write_key_prefix, s.signing_secret IS NOT NULL AS has_secret, s.created_at, s.last_used_at, s.revoked_at,
           (SELECT count(*) FROM events e WHERE e.source_id = s.id) AS events,
           (SELECT count(*) FROM events e WHERE e.source_id = s.id AND e.account_id IS NULL) AS waiting
    FROM event_sources s ORDER BY s.id`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    prefix: r.write_key_prefix,
    hasSecret: r.has_secret,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    events: Number(r.events),
    waiting: Number(r.waiting),
  }));
}

/** Revokes the active source with this name (any case); its events stay. */
export async function revokeEventSource(prisma: Prisma, name: string, now: Date): Promise<{ id: number; name: string } | null> {
  const target = await prisma.eventSource.findFirst({ where: { revokedAt: null, name: { equals: name.trim(), mode: 'insensitive' } }, select: { id: true, name: true } });
  if (!target) return null;
  await prisma.eventSource.update({ where: { id: target.id }, data: { revokedAt: now } });
  return target;
}
