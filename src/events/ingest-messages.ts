// The one intake for Segment-format messages, whoever received them (the
// /v1 endpoints, `import events`, a provider connector after normalising).
// Each message is validated on its own; the good ones are stored all or
// nothing: the INSERT … ON CONFLICT (source, messageId) DO NOTHING that
// stores them is also the de-duplication, so a replayed batch or a client
// retry changes nothing. A batch without group calls is one statement
// (store-events.ts); one with group calls is one transaction, where the new
// ones create or update their account, join the user to it, and attribute
// the user's waiting events.
import type { Prisma } from '../db/database.js';
import { upsertAccounts, type AccountInput } from '../ingest/write-accounts.js';
import { attributionHints } from '../connectors/payload.js';
import { resolveAttribution } from '../accounts/alias-store.js';
import { bookEvents, storeAndBookEvents, storeEventsOnly } from './store-events.js';
import { normaliseMessage, unstorableReason, type MessageType, type NormalisedEvent } from './segment-message.js';

type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

export type MessageResult =
  | { index: number; status: 'accepted'; messageId: string }
  | { index: number; status: 'duplicate'; messageId: string }
  | { index: number; status: 'refused'; messageId: string | null; reason: string };

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  refused: number;
  /** Stored now without an account (kept waiting for a group call or an alias). */
  waiting: number;
  results: MessageResult[];
}

export interface IngestOptions {
  /** The type the endpoint implies (/v1/track); batch messages carry their own. */
  impliedType?: MessageType;
  /** A batch's top-level sentAt. */
  batchSentAt?: string | null;
  /**
   * By message index: the account (external id) a provider connector found
   * through the account's aliases; it takes the place of the message's own
   * account hint. Messages without one are still attributed by their
   * `context.externalIds` (see attributionHints), their hint, or their user's group.
   */
  accounts?: readonly (string | null)[];
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
    const unstorable = unstorableReason(message);
    if (unstorable !== null) {
      results.push({ index, status: 'refused', messageId: claimedId, reason: unstorable });
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
    const resolved = options.accounts?.[index] ?? (outcome.event.type !== 'group' && outcome.event.groupId === null ? await resolveByExternalIds(deps, outcome.event.context) : null);
    valid.push({ index, event: resolved ? { ...outcome.event, groupId: resolved } : outcome.event });
  }

  const events = valid.map((v) => v.event);
  const db = 'tx' in deps ? deps.tx : deps.prisma;
  const { inserted, waiting } =
    valid.length === 0 ? { inserted: new Set<string>(), waiting: 0 }
    : !events.some((e) => e.type === 'group') ? storedSummary(await storeAndBookEvents(db, source.id, events, receivedAt))
    : 'tx' in deps ? await storeWithGroups(deps.tx, source.id, events, receivedAt)
    : await deps.prisma.$transaction((tx) => storeWithGroups(tx, source.id, events, receivedAt), { timeout: 120_000, maxWait: 30_000 });
  for (const { index, event } of valid) {
    results.push({ index, status: inserted.has(event.messageId) ? 'accepted' : 'duplicate', messageId: event.messageId });
  }
  results.sort((a, b) => a.index - b.index);
  const count = (status: MessageResult['status']) => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), duplicates: count('duplicate'), refused: count('refused'), waiting, results };
}

/** A message naming its account by provider ids (`context.externalIds`), resolved through account_aliases. */
async function resolveByExternalIds(deps: IngestTarget, context: Record<string, unknown> | null): Promise<string | null> {
  const hints = attributionHints(context);
  if (hints.length === 0) return null;
  return (await resolveAttribution('tx' in deps ? deps.tx : deps.prisma, hints))?.externalId ?? null;
}

function messageIdOf(message: unknown): string | null {
  if (typeof message !== 'object' || message === null || !('messageId' in message)) return null;
  const id = message.messageId;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null;
}

function storedSummary(stored: { inserted: string[]; waiting: number }): { inserted: Set<string>; waiting: number } {
  return { inserted: new Set(stored.inserted), waiting: stored.waiting };
}

/** The messageIds that were new, and how many of them no account claims yet, for a batch with group calls: stored, the new groups applied, then booked. */
async function storeWithGroups(tx: Tx, sourceId: number, events: readonly NormalisedEvent[], receivedAt: Date): Promise<{ inserted: Set<string>; waiting: number }> {
  const stored = await storeEventsOnly(tx, sourceId, events, receivedAt);
  const inserted = new Set(stored.map((r) => r.m));
  const fed = new Set(stored.flatMap((r) => (r.a === null ? [] : [r.a])));
  const groups = events.filter((e) => e.type === 'group' && inserted.has(e.messageId));
  if (groups.length > 0) for (const id of await applyGroupCalls(tx, sourceId, groups)) fed.add(id);
  await bookEvents(tx, sourceId, fed, inserted.size, receivedAt);
  const stillWaiting = stored.filter((r) => r.a === null).map((r) => r.m);
  const [left] = stillWaiting.length === 0 ? [{ n: 0 }] : await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM events WHERE source_id = ${sourceId} AND message_id = ANY(${stillWaiting}::text[]) AND account_id IS NULL`;
  return { inserted, waiting: left?.n ?? 0 };
}

/** Tells derivation which accounts have new events. */
async function markEventAccountsChanged(tx: Tx, accountIds: ReadonlySet<number>): Promise<void> {
  if (accountIds.size === 0) return;
  // Accounts marked changed in the last 30 s are left alone: busy accounts appear in every
  // batch, and locking their rows each time serialised concurrent batches. The derivation
  // looks back 5 minutes before its previous pass, so a mark that recent is never missed.
  // In id order, so concurrent batches touching the same accounts never deadlock.
  await tx.$executeRaw`
    INSERT INTO event_accounts (account_id, changed_at)
    SELECT f.id, now() FROM unnest(${[...accountIds].sort((a, b) => a - b)}::int[]) AS f(id)
    WHERE NOT EXISTS (SELECT 1 FROM event_accounts x WHERE x.account_id = f.id AND x.changed_at > now() - interval '30 seconds')
    ORDER BY f.id
    ON CONFLICT (account_id) DO UPDATE SET changed_at = now()`;
}

/**
 * The alias half of attributing waiting events (the group half is in
 * applyGroupCalls): once `accountIds` gained aliases or a domain (accounts
 * import, the HubSpot sync), the waiting events whose `context.externalIds`
 * name one of them are attributed through resolveAttribution, the same rule
 * a provider delivery is attributed by when it arrives. Returns how many.
 */
export async function attributeWaitingEvents(tx: Tx, accountIds: readonly number[]): Promise<number> {
  if (accountIds.length === 0) return 0;
  const ids = await tx.$queryRaw<{ kind: string; value: string }[]>`
    SELECT kind, value FROM account_aliases WHERE account_id = ANY(${accountIds}::int[])
    UNION SELECT 'domain', domain FROM accounts WHERE id = ANY(${accountIds}::int[]) AND domain IS NOT NULL`;
  if (ids.length === 0) return 0;
  const domains = ids.filter((i) => i.kind === 'domain').map((i) => i.value);
  const others = ids.filter((i) => i.kind !== 'domain').map((i) => `${i.kind}_id:${i.value}`);
  // A domain hint matches the domain or a sub-domain of it (jane@eu.acme.com, acme.com), as resolveAttribution does.
  const waiting = await tx.$queryRaw<{ id: bigint; context: Record<string, unknown> | null }[]>`
    SELECT e.id, e.context FROM events e
    WHERE e.account_id IS NULL AND e.type <> 'group' AND jsonb_typeof(e.context->'externalIds') = 'array'
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.context->'externalIds') x
                  WHERE (x->>'type') || ':' || (x->>'id') = ANY(${others}::text[])
                     OR (x->>'type' = 'email_domain' AND EXISTS (SELECT 1 FROM unnest(${domains}::text[]) d WHERE x->>'id' = d OR x->>'id' LIKE '%.' || d)))`;
  const byHints = new Map<string, bigint[]>();
  for (const row of waiting) {
    const key = JSON.stringify(attributionHints(row.context));
    byHints.set(key, [...(byHints.get(key) ?? []), row.id]);
  }
  const eventIds: string[] = [];
  const owners: number[] = [];
  for (const [key, events] of byHints) {
    const found = await resolveAttribution(tx, JSON.parse(key) as Parameters<typeof resolveAttribution>[1]);
    if (!found) continue;
    for (const id of events) {
      eventIds.push(id.toString());
      owners.push(found.accountId);
    }
  }
  if (eventIds.length === 0) return 0;
  await tx.$executeRaw`
    UPDATE events e SET account_id = t.a FROM unnest(${eventIds}::bigint[], ${owners}::int[]) AS t(id, a)
    WHERE e.id = t.id AND e.account_id IS NULL`;
  await markEventAccountsChanged(tx, new Set(owners));
  return eventIds.length;
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
