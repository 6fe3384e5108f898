// Segment's message format (HTTP Tracking API spec): the common fields, each
// call type's required field, and Segment's timestamp rules. Pure: a message
// in, a normalised event or the reason it is refused out. Unknown fields are
// allowed (Segment's clients add many); the ones we read are checked.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { accountTraits, type AccountTraits } from './group-traits.js';
import { parseIsoTimestamp } from './iso-time.js';

export const MESSAGE_TYPES = ['track', 'identify', 'group', 'page', 'screen', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Segment's limits: 32 KB a message, 500 KB a batch. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
/** A client clock a little ahead is normal; a timestamp further ahead than this is a bug in the sender. */
export const MAX_FUTURE_MS = 24 * 3_600_000;
const MAX_ID_CHARS = 200;

export interface NormalisedEvent {
  messageId: string;
  type: MessageType;
  /** track: the event name; page/screen: the name. */
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  /** userId, else "anon:" + anonymousId. */
  userKey: string;
  /** group: groupId; others: context.groupId, else properties.account_id (the account hint). */
  groupId: string | null;
  timestamp: Date;
  /** properties (track, page, screen) or traits (identify, group). */
  properties: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
  /** group calls: the account fields their traits set. */
  account: AccountTraits | null;
}

export type MessageOutcome = { ok: true; event: NormalisedEvent } | { ok: false; reason: string };

const id = z.union([z.string(), z.number().finite()]).transform((v) => String(v).trim());
const objectOrNull = z.record(z.string(), z.unknown()).nullish();
const timestampField = z.string().nullish();

export const messageSchema = z.looseObject({
  type: z.string().optional(),
  messageId: id.optional(),
  userId: id.nullish(),
  anonymousId: id.nullish(),
  event: z.string().nullish(),
  name: z.string().nullish(),
  groupId: id.nullish(),
  previousId: id.nullish(),
  properties: objectOrNull,
  traits: objectOrNull,
  context: objectOrNull,
  timestamp: timestampField,
  originalTimestamp: timestampField,
  sentAt: timestampField,
});

type ParsedMessage = z.infer<typeof messageSchema>;

const TEXT_FIELDS = ['event', 'name', 'timestamp', 'originalTimestamp', 'sentAt'] as const;
const ID_FIELDS = ['userId', 'anonymousId', 'groupId', 'previousId'] as const;
const OBJECT_FIELDS = ['properties', 'traits', 'context'] as const;

/**
 * The fields messageSchema reads, taken without zod when each is absent or of
 * its plain JSON kind — what Segment's clients send. Zod's record type copies
 * properties, traits and context key by key, and that was most of the
 * intake's per-message validation time (bench/RESULTS.md, events[ingest]).
 * Null means "not the common shape": the schema then decides, and names the
 * field at fault. Same output as the schema for every input it accepts here.
 */
export function readCommonShape(input: Record<string, unknown>): ParsedMessage | null {
  const m: ParsedMessage = {};
  const type = input['type'];
  if (type !== undefined && typeof type !== 'string') return null;
  if (type !== undefined) m.type = type;
  const messageId = input['messageId'];
  if (messageId !== undefined) {
    const text = plainId(messageId);
    if (text === undefined) return null;
    m.messageId = text;
  }
  for (const field of ID_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null) m[field] = value;
    else {
      const text = plainId(value);
      if (text === undefined) return null;
      m[field] = text;
    }
  }
  for (const field of TEXT_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return null;
    m[field] = value;
  }
  for (const field of OBJECT_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== null && !isPlainObject(value)) return null;
    m[field] = value as Record<string, unknown> | null | undefined;
  }
  return m;
}

/** messageSchema's `id`: a string or finite number, as trimmed text; undefined when neither. */
function plainId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  return typeof value === 'number' && Number.isFinite(value) ? String(value).trim() : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export interface NormaliseOptions {
  /** When the request arrived: the fallback timestamp, and "now" for the future check. */
  receivedAt: Date;
  /** The type the endpoint implies (/v1/track); a batch message says its own. */
  impliedType?: MessageType;
  /** A batch's top-level sentAt, used when the message has none. */
  batchSentAt?: string | null;
}

export function normaliseMessage(input: unknown, options: NormaliseOptions): MessageOutcome {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return refuse('a message must be a JSON object');
  let m = readCommonShape(input as Record<string, unknown>);
  if (m === null) {
    const parsed = messageSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse(`${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'is invalid'}`);
    }
    m = parsed.data;
  }
  const type = options.impliedType ?? m.type;
  if (type === undefined) return refuse('type is required (track, identify, group, page, screen or alias)');
  if (!isMessageType(type)) return refuse(`unknown type "${String(type).slice(0, 40)}" (expected track, identify, group, page, screen or alias)`);
  if (options.impliedType && m.type !== undefined && m.type !== options.impliedType) return refuse(`type "${m.type.slice(0, 40)}" sent to the ${options.impliedType} endpoint`);

  const userId = nonEmpty(m.userId);
  const anonymousId = nonEmpty(m.anonymousId);
  if (userId === null && anonymousId === null) return refuse('userId or anonymousId is required');
  if ((userId?.length ?? 0) > MAX_ID_CHARS || (anonymousId?.length ?? 0) > MAX_ID_CHARS) return refuse(`userId and anonymousId are at most ${MAX_ID_CHARS} characters`);

  const event = type === 'track' ? nonEmpty(m.event) : type === 'page' || type === 'screen' ? nonEmpty(m.name) : null;
  if (type === 'track' && event === null) return refuse('a track call needs "event" (the event name)');
  if (event !== null && event.length > MAX_ID_CHARS) return refuse(`event is at most ${MAX_ID_CHARS} characters`);

  const properties = (type === 'identify' || type === 'group' ? m.traits : m.properties) ?? null;
  const context = m.context ?? null;
  const groupId = type === 'group' ? nonEmpty(m.groupId) : accountHint(context, properties);
  if (type === 'group' && groupId === null) return refuse('a group call needs "groupId" (the account\'s external_id)');
  if (type === 'alias' && nonEmpty(m.previousId) === null) return refuse('an alias call needs "previousId"');
  if (groupId !== null && groupId.length > MAX_ID_CHARS) return refuse(`groupId is at most ${MAX_ID_CHARS} characters`);

  const timestamp = resolveTimestamp(m, options);
  if (!timestamp.ok) return timestamp;
  const account = type === 'group' ? accountTraits(properties) : null;
  if (account && !account.ok) return account;

  const messageId = nonEmpty(m.messageId) ?? contentId(input);
  if (messageId.length > MAX_ID_CHARS) return refuse(`messageId is at most ${MAX_ID_CHARS} characters`);
  return {
    ok: true,
    event: { messageId, type, event, userId, anonymousId, userKey: userId ?? `anon:${anonymousId ?? ''}`, groupId, timestamp: timestamp.at, properties, context, account: account?.traits ?? null },
  };
}

/**
 * Segment's rule: `timestamp` when sent; else `originalTimestamp` corrected
 * for the sender's clock by (receivedAt − sentAt); else the receipt time.
 */
function resolveTimestamp(m: ParsedMessage, options: NormaliseOptions): { ok: true; at: Date } | { ok: false; reason: string } {
  const read = (field: string, value: string | null | undefined): Date | null | string => {
    if (value === null || value === undefined) return null;
    return parseIsoTimestamp(value.trim()) ?? `${field} "${value.slice(0, 40)}" is not an ISO 8601 date-time`;
  };
  const timestamp = read('timestamp', m.timestamp);
  const original = read('originalTimestamp', m.originalTimestamp);
  const sentAt = read('sentAt', m.sentAt ?? options.batchSentAt);
  for (const value of [timestamp, original, sentAt]) if (typeof value === 'string') return { ok: false, reason: value };
  const at =
    timestamp instanceof Date ? timestamp
    : original instanceof Date ? (sentAt instanceof Date ? new Date(options.receivedAt.getTime() - (sentAt.getTime() - original.getTime())) : original)
    : options.receivedAt;
  if (at.getTime() - options.receivedAt.getTime() > MAX_FUTURE_MS) {
    return { ok: false, reason: `timestamp ${at.toISOString()} is more than 24 hours in the future` };
  }
  return { ok: true, at };
}

/** Which account a non-group call names: context.groupId, else properties.account_id. */
function accountHint(context: Record<string, unknown> | null, properties: Record<string, unknown> | null): string | null {
  return idText(context?.['groupId']) ?? idText(properties?.['account_id']);
}

function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' ? nonEmpty(value) : null;
}

function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/**
 * Segment's clients always send a messageId; a hand-written call may not. Its
 * content hash stands in, so an identical retry is still stored once.
 */
function contentId(input: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(input)).digest('base64url')}`;
}

function isMessageType(value: string): value is MessageType {
  return (MESSAGE_TYPES as readonly string[]).includes(value);
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/**
 * Why a message cannot be taken before it is read: over Segment's 32 KB
 * (counted on the re-serialised message, the same bytes Segment's limit
 * counts), or holding U+0000, which PostgreSQL's text and jsonb cannot store
 * (left in, it failed the whole batch's statement with a 500). Null when neither.
 */
export function unstorableReason(message: unknown): string | null {
  const serialized = JSON.stringify(message) ?? '';
  if (Buffer.byteLength(serialized, 'utf8') > MAX_MESSAGE_BYTES) return 'the message is larger than the 32 KB limit per message';
  // JSON.stringify writes U+0000 as \u0000: only then is the message walked to name where.
  const at = serialized.includes('\\u0000') ? nulCharacterPath(message, '') : null;
  return at === null ? null : `${at || 'message'}: contains a NUL character (\\u0000), which cannot be stored; remove it and send the message again`;
}

/** The dotted path of the first key or string holding U+0000; null when none does. */
function nulCharacterPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (key.includes('\u0000')) return here;
    const found = nulCharacterPath(inner, here);
    if (found !== null) return found;
  }
  return null;
}
