// "Was this already posted?" — asked before re-sending a row whose last try
// may have reached Slack (a timeout, a 5xx, a crash after the post).
//
// Each message carries its outbox idempotency key in message metadata. Slack's
// conversations.history lists only top-level messages, so a thread reply
// (update note, escalation, auto-resolve note) can only be found with
// conversations.replies on the alert's thread. Both are bounded by `oldest`
// (the row's creation, less a margin for clock skew) and paged to the end.
import type { WebClient } from '@slack/web-api';

export const ALERT_EVENT_TYPE = 'account_health_alert';

/** Margin for clock differences between the database and Slack. */
const OLDEST_MARGIN_MS = 10 * 60_000;
const PAGE_SIZE = 200;
const MAX_PAGES = 50;

export interface PostedLookup {
  channelId: string;
  idempotencyKey: string;
  /** The alert message's ts when looking for a thread reply; null for the post itself. */
  threadTs: string | null;
  createdAt: Date;
}

/** The search ran out of pages: neither "posted" nor "not posted" can be claimed. */
export class PostLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostLookupError';
  }
}

interface MessageLike {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: unknown };
}

interface Page {
  messages?: MessageLike[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/** The ts of the message carrying `idempotencyKey`, or null if Slack has none. */
export async function findPosted(slack: WebClient, lookup: PostedLookup): Promise<string | null> {
  const oldest = toSlackTs(lookup.createdAt.getTime() - OLDEST_MARGIN_MS);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const common = { channel: lookup.channelId, oldest, limit: PAGE_SIZE, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
    const result: Page = lookup.threadTs === null
      ? await slack.conversations.history(common)
      : await slack.conversations.replies({ ...common, ts: lookup.threadTs });
    const found = (result.messages ?? []).find((m) => carriesKey(m, lookup.idempotencyKey));
    if (found?.ts) return found.ts;
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!result.has_more || !cursor) return null;
  }
  throw new PostLookupError(`more than ${MAX_PAGES * PAGE_SIZE} messages in ${lookup.channelId} since the row was queued; cannot tell whether it was posted`);
}

function carriesKey(message: MessageLike, key: string): boolean {
  const payload = message.metadata?.event_payload;
  return (
    message.metadata?.event_type === ALERT_EVENT_TYPE &&
    typeof payload === 'object' && payload !== null && 'idempotency_key' in payload && payload.idempotency_key === key
  );
}

/** Slack timestamps are seconds with six decimals. */
export function toSlackTs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}
