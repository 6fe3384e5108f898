// Slack's shapes, as the Web API returns them and payloads carry them: a
// stored message, an open view, a page of a timeline; and the small readers
// of what the app sends (text and blocks, a view, a file's type).
import { viewWithBlockIds, withBlockIds } from './block-elements.js';
import { APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, type OpenView, type SandboxMessage } from './workspace.js';

export const MAX_UPLOAD_BYTES = 5_000_000;

/** The mimetype Slack would sniff for the bytes: images by their magic numbers, else binary. */
export function sniffMimetype(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  return 'application/octet-stream';
}

/** text/blocks of a post or update; null when there is nothing to show (Slack: no_text). */
export function messageContent(args: Record<string, unknown>): { text: string; blocks?: unknown[] } | null {
  const text = typeof args.text === 'string' ? args.text : '';
  const blocks = Array.isArray(args.blocks) ? withBlockIds(args.blocks as unknown[]) : undefined;
  if (text === '' && (!blocks || blocks.length === 0)) return null;
  return blocks ? { text, blocks } : { text };
}

/** A stored message as conversations.history shows it. */
export function apiMessage(message: SandboxMessage): Record<string, unknown> {
  return {
    type: 'message',
    ts: message.ts,
    user: message.user,
    ...(message.user === BOT_USER_ID ? { bot_id: BOT_ID, app_id: APP_ID } : {}),
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.metadata !== undefined ? { metadata: message.metadata } : {}),
    ...(message.reactions.length > 0 ? { reactions: message.reactions.map((r) => ({ name: r.name, users: r.users, count: r.users.length })) } : {}),
  };
}

/** A modal as Slack returns it and sends it in payloads. */
export function apiView(open: OpenView, root: OpenView | undefined, state: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...open.view,
    id: open.id,
    hash: open.hash,
    team_id: TEAM_ID,
    app_id: APP_ID,
    bot_id: BOT_ID,
    root_view_id: root?.id ?? open.id,
    previous_view_id: null,
    private_metadata: typeof open.view.private_metadata === 'string' ? open.view.private_metadata : '',
    callback_id: typeof open.view.callback_id === 'string' ? open.view.callback_id : '',
    state: { values: state },
  };
}

export function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export function viewArg(raw: unknown): Record<string, unknown> | null {
  if (typeof raw === 'string') {
    try {
      return viewArg(JSON.parse(raw));
    } catch {
      return null;
    }
  }
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? viewWithBlockIds(raw as Record<string, unknown>) : null;
}

/** Slack's timeline paging: oldest/latest (exclusive unless `inclusive`), `limit`, an opaque cursor. */
export function page(messages: SandboxMessage[], args: Record<string, unknown>): Record<string, unknown> {
  const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
  const inWindow = messages.filter((m) => {
    const afterOldest = args.oldest === undefined || (inclusive ? m.ts >= String(args.oldest) : m.ts > String(args.oldest));
    const beforeLatest = args.latest === undefined || (inclusive ? m.ts <= String(args.latest) : m.ts < String(args.latest));
    return afterOldest && beforeLatest;
  });
  const limit = Math.max(1, Math.min(999, Number(args.limit ?? 100) || 100));
  const offset = typeof args.cursor === 'string' && /^\d+$/.test(args.cursor) ? Number(args.cursor) : 0;
  const slice = inWindow.slice(offset, offset + limit);
  const hasMore = offset + limit < inWindow.length;
  return { messages: slice.map(apiMessage), has_more: hasMore, response_metadata: { next_cursor: hasMore ? String(offset + limit) : '' } };
}
