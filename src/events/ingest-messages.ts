// The one intake for Segment-format messages, whoever received them (the
// /v1 endpoints, `import events`, a provider connector after normalising).
// Each message is validated on its own; the good ones are stored in ONE
// transaction: the INSERT … ON CONFLICT (source, messageId) DO NOTHING that
// stores them is also the de-duplication, so a replayed batch or a client
// retry changes nothing. Group calls that were new create or update their
// account, join the user to it, and attribute the user's waiting events.
import type { Prisma } from '../db/database.js';
import { upsertAccounts, type AccountInput } from '../ingest/write-accounts.js';
import { messageBytes, MAX_MESSAGE_BYTES, normaliseMessage, type MessageType, type NormalisedEvent } from './segment-message.js';

type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

export type MessageResult =
  | { index: number; status: 'accepted'; messageId: string }
  | { index: number; status: 'duplicate'; messageId: string }
  | { index: number; status: 'refused'; messageId: string | null; reason: string };

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  refused: number;
  results: MessageResult[];
}

export interface IngestOptions {
  /** The type the endpoint implies (/v1/track); batch messages carry their own. */
  impliedType?: MessageType;
  /** A batch's top-level sentAt. */
  batchSentAt?: string | null;
}

/** Where the messages go: a client (one transaction of their own) or a caller's transaction (the demo loads all or nothing). */
export type IngestTarget = { prisma: Prisma } | { tx: Tx };

export async function ingestSegmentMessages(
  deps: IngestTarget,
  source: { id: number },
  messages: readonly unknown[],
  receivedAt: Date,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const results: MessageResult[] = [];
  const valid: { index: number; event: NormalisedEvent }[] = [];
  const seen = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const claimedId = messageIdOf(message);
    if (messageBytes(message) > MAX_MESSAGE_BYTES) {
      results.push({ index, status: 'refused', messageId: claimedId, reason: 'the message is larger than the 32 KB limit per message' });
      continue;
    }
    const outcome = normaliseMessage(message, { receivedAt, ...(options.impliedType ? { impliedType: options.impliedType } : {}), batchSentAt: options.batchSentAt ?? null });
    if (!outcome.ok) {
      results.push({ index, status: 'refused', messageId: claimedId, reason: outcome.reason });
      continue;
    }
    // The same messageId twice in one call: the first is the message, the rest are retries.
    if (seen.has(outcome.event.messageId)) {
      results.push({ index, status: 'duplicate', messageId: outcome.event.messageId });
      continue;
    }
    seen.add(outcome.event.messageId);
    valid.push({ index, event: outcome.event });
  }

  const store = (tx: Tx) => storeEvents(tx, source.id, valid.map((v) => v.event), receivedAt);
  const inserted =
    valid.length === 0 ? new Set<string>() : 'tx' in deps ? await store(deps.tx) : await deps.prisma.$transaction(store, { timeout: 120_000, maxWait: 30_000 });
  for (const { index, event } of valid) {
    results.push({ index, status: inserted.has(event.messageId) ? 'accepted' : 'duplicate', messageId: event.messageId });
  }
  results.sort((a, b) => a.index - b.index);
  const count = (status: MessageResult['status']) => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), duplicates: count('duplicate'), refused: count('refused'), results };
}

function messageIdOf(message: unknown): string | null {
  if (typeof message !== 'object' || message === null || !('messageId' in message)) return null;
  const id = message.messageId;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null;
}

/** Returns the messageIds that were new. */
async function storeEvents(tx: Tx, sourceId: number, events: readonly NormalisedEvent[], receivedAt: Date): Promise<Set<string>> {
  const rows = JSON.stringify(
    events.map((e) => ({
      m: e.messageId,
      t: e.type,
      e: e.event,
      u: e.userId,
      a: e.anonymousId,
      k: e.userKey,
      g: e.groupId,
      ts: e.timestamp.toISOString(),
      p: e.properties,
      c: e.context,
    })),
  );
  // Attributed as it is stored: a group call to its groupId; anything else to
  // the account its hint names, else its user's newest group. New group calls
  // are applied just after, and then attribute what they unblock.
  const stored = await tx.$queryRaw<{ m: string; a: number | null }[]>`
    INSERT INTO events (source_id, message_id, type, event, user_id, anonymous_id, user_key, group_id, account_id, timestamp, received_at, properties, context)
    SELECT ${sourceId}::int, r.m, r.t, r.e, r.u, r.a, r.k, r.g,
           CASE WHEN r.t = 'group' THEN NULL
                WHEN r.g IS NOT NULL THEN (SELECT id FROM accounts WHERE external_id = r.g)
                ELSE (SELECT l.account_id FROM event_user_accounts l WHERE l.user_key = r.k ORDER BY l.linked_at DESC, l.account_id DESC LIMIT 1) END,
           r.ts::timestamptz, ${receivedAt}::timestamptz, r.p, r.c
    FROM jsonb_to_recordset(${rows}::jsonb) AS r(m text, t text, e text, u text, a text, k text, g text, ts text, p jsonb, c jsonb)
    ON CONFLICT (source_id, message_id) DO NOTHING
    RETURNING message_id AS m, account_id AS a`;
  const inserted = new Set(stored.map((r) => r.m));
  const fed = new Set(stored.flatMap((r) => (r.a === null ? [] : [r.a])));
  const groups = events.filter((e) => e.type === 'group' && inserted.has(e.messageId));
  if (groups.length > 0) for (const id of await applyGroupCalls(tx, sourceId, groups)) fed.add(id);
  if (fed.size > 0) {
    // Accounts marked changed in the last 30 s are left alone: busy accounts appear in every
    // batch, and locking their rows each time serialised concurrent batches. The derivation
    // looks back 5 minutes before its previous pass, so a mark that recent is never missed.
    // In id order, so concurrent batches touching the same accounts never deadlock.
    await tx.$executeRaw`
      INSERT INTO event_accounts (account_id, changed_at)
      SELECT f.id, now() FROM unnest(${[...fed].sort((a, b) => a - b)}::int[]) AS f(id)
      WHERE NOT EXISTS (SELECT 1 FROM event_accounts x WHERE x.account_id = f.id AND x.changed_at > now() - interval '30 seconds')
      ORDER BY f.id
      ON CONFLICT (account_id) DO UPDATE SET changed_at = now()`;
  }
  return inserted;
}

/**
 * New group calls, oldest first: create or update each account from the
 * traits sent, join the user to it, point the group events at it, then
 * attribute every waiting event of those users or naming those accounts.
 */
async function applyGroupCalls(tx: Tx, sourceId: number, groups: readonly NormalisedEvent[]): Promise<number[]> {
  const ordered = [...groups].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  const externalIds = [...new Set(ordered.map((g) => g.groupId ?? ''))];
  const existing = await tx.$queryRaw<{ external_id: string; name: string }[]>`SELECT external_id, name FROM accounts WHERE external_id = ANY(${externalIds}::text[])`;
  const names = new Map(existing.map((r) => [r.external_id, r.name]));
  const accounts: AccountInput[] = ordered.map((g) => {
    const externalId = g.groupId ?? '';
    const traits = g.account ?? {};
    const name = traits.name ?? names.get(externalId) ?? externalId;
    names.set(externalId, name);
    return {
      externalId,
      name,
      ...(traits.domain !== undefined ? { domain: traits.domain } : {}),
      ...(traits.segment !== undefined ? { segment: traits.segment } : {}),
      ...(traits.arr !== undefined ? { arr: traits.arr } : {}),
      ...(traits.renewalDate !== undefined ? { renewalDate: traits.renewalDate } : {}),
    };
  });
  await upsertAccounts(tx, accounts);

  const links = JSON.stringify(ordered.map((g) => ({ k: g.userKey, g: g.groupId, ts: g.timestamp.toISOString(), m: g.messageId })));
  await tx.$executeRaw`
    INSERT INTO event_user_accounts (user_key, account_id, linked_at)
    SELECT r.k, a.id, max(r.ts::timestamptz)
    FROM jsonb_to_recordset(${links}::jsonb) AS r(k text, g text, ts text, m text) JOIN accounts a ON a.external_id = r.g
    GROUP BY r.k, a.id
    ON CONFLICT (user_key, account_id) DO UPDATE SET linked_at = greatest(event_user_accounts.linked_at, EXCLUDED.linked_at)`;
  const grouped = await tx.$queryRaw<{ a: number }[]>`
    UPDATE events e SET account_id = a.id
    FROM jsonb_to_recordset(${links}::jsonb) AS r(k text, g text, ts text, m text) JOIN accounts a ON a.external_id = r.g
    WHERE e.source_id = ${sourceId} AND e.message_id = r.m
    RETURNING e.account_id AS a`;
  const userKeys = [...new Set(ordered.map((g) => g.userKey))];
  const unblocked = await tx.$queryRaw<{ a: number | null }[]>`
    UPDATE events e SET account_id = coalesce(
      (SELECT id FROM accounts WHERE external_id = e.group_id),
      CASE WHEN e.group_id IS NULL THEN (SELECT l.account_id FROM event_user_accounts l WHERE l.user_key = e.user_key ORDER BY l.linked_at DESC, l.account_id DESC LIMIT 1) END)
    WHERE e.account_id IS NULL
      AND (e.group_id = ANY(${externalIds}::text[]) OR (e.group_id IS NULL AND e.user_key = ANY(${userKeys}::text[])))
    RETURNING e.account_id AS a`;
  return [...grouped, ...unblocked].flatMap((r) => (r.a === null ? [] : [r.a]));
}
