// A fake Slack Web API on loopback. It answers the methods account-health uses
// the way Slack does (form or JSON bodies, `ok:false` errors with HTTP 200,
// 429 + Retry-After), records every call, keeps channel histories (with message
// metadata, which alert delivery uses for idempotency), and serves
// `response_url`s. Scripted faults let tests inject 429s, 5xx, and timeouts —
// also ones that strike after Slack acted (`applied`), as a proxy timing out
// on an accepted post does. Like Slack, conversations.history lists only
// top-level messages (thread replies appear only in conversations.replies),
// both honour oldest/latest and page with a cursor.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  text?: unknown;
  blocks?: unknown;
  thread_ts?: string;
  metadata?: unknown;
  user: string;
}

export type ScriptedReply =
  /** `applied`: the call takes effect as usual, but the caller gets this reply instead. */
  | { status: number; body?: Record<string, unknown>; headers?: Record<string, string>; applied?: boolean }
  | { hang: true; applied?: boolean };

export interface FakeUser {
  id: string;
  is_admin?: boolean;
  is_owner?: boolean;
  real_name?: string;
  tz?: string;
  /** users.lookupByEmail finds the user by it, as Slack does (case-insensitive). */
  email?: string;
}

/** A file sent through Slack's external upload: announced, uploaded, completed. */
export interface FakeUpload {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  /** The bytes received at the upload URL (the multipart part, as Slack's upload host accepts). */
  data?: Buffer;
  title?: string;
  completed: boolean;
}

export const FAKE_BOT_USER_ID = 'UBOT000001';
export const FAKE_TEAM_ID = 'T0FAKE0001';

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: { id: string; body: Record<string, unknown>; at: number }[] = [];
  readonly messages = new Map<string, StoredMessage[]>();
  readonly users = new Map<string, FakeUser>();
  /** Files by id, from files.getUploadURLExternal on. */
  readonly uploads = new Map<string, FakeUpload>();
  /** Channels the bot is not in (posting answers not_in_channel until joined). */
  readonly notInChannel = new Set<string>();
  readonly missingChannels = new Set<string>();
  /** Archived channels: posting answers is_archived. */
  readonly archivedChannels = new Set<string>();
  /** Private channels: the bot cannot join them (conversations.join fails). */
  readonly privateChannels = new Set<string>();
  /** When set, more than `perSecond` posts to one channel within a second get 429. */
  channelRateLimit: { perSecond: number; retryAfterSeconds: number } | null = null;
  private readonly scripts = new Map<string, ScriptedReply[]>();
  private readonly postScripts = new Map<string, ScriptedReply[]>();
  private readonly postTimes = new Map<string, number[]>();
  private readonly hanging = new Set<http.ServerResponse>();
  private tsCounter = 0;
  private server: http.Server | null = null;
  private waiters: (() => void)[] = [];
  url = '';

  /** `port` 0 picks a free one; a fixed port lets a test bring "Slack" up where a server already expects it. */
  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    // Node closes idle keep-alive sockets after 5 s; a client reusing one just
    // then gets "fetch failed". Slack keeps them longer; so does the fake, so
    // tests see the faults they script, not this race.
    this.server.keepAliveTimeout = 60_000;
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Base URL for SLACK_API_URL / WebClient slackApiUrl. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }

  /** Queue replies for the next chat.postMessage calls to one channel (before `script`ed ones). */
  scriptPostsTo(channel: string, ...replies: ScriptedReply[]): void {
    this.postScripts.set(channel, [...(this.postScripts.get(channel) ?? []), ...replies]);
  }

  /** Queue replies for the next calls of `method`, before the default behaviour. */
  script(method: string, ...replies: ScriptedReply[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...replies]);
  }

  /** A message someone else wrote: noise that history and thread lookups must page past. */
  addMessage(channel: string, text: string, threadTs?: string, user = 'U0HUMAN001'): StoredMessage {
    const message: StoredMessage = { ts: this.nextTs(), channel, text, user, ...(threadTs ? { thread_ts: threadTs } : {}) };
    this.messages.set(channel, [...(this.messages.get(channel) ?? []), message]);
    return message;
  }

  /** Top-level messages of a channel (thread replies excluded), oldest first. */
  topLevel(channel: string): StoredMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
  }

  /** Replies in the thread under `threadTs`, oldest first. */
  threadReplies(channel: string, threadTs: string): StoredMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.messages.clear();
    this.scripts.clear();
    this.postScripts.clear();
    this.postTimes.clear();
    this.uploads.clear();
  }

  /** Resolves when `predicate` holds, re-checked after every request. */
  async waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('FakeSlack.waitFor timed out');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname.startsWith('/upload/')) {
      const [status, body] = await this.receiveUpload(url.pathname.slice('/upload/'.length), bytes, req.headers['content-type'] ?? '');
      send(res, status, body);
      this.notify();
      return;
    }
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({ id: url.pathname.slice('/response/'.length), body: args, at: Date.now() });
      send(res, 200, { ok: true });
      this.notify();
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    this.calls.push({ method, args, at: Date.now() });
    const scripted = (method === 'chat.postMessage' ? this.postScripts.get(String(args.channel ?? ''))?.shift() : undefined) ?? this.scripts.get(method)?.shift();
    if (scripted) {
      if (scripted.applied) this.answer(method, args);
      if ('hang' in scripted) {
        this.hanging.add(res);
        this.notify();
        return;
      }
      send(res, scripted.status, scripted.body ?? { ok: scripted.status < 400 }, scripted.headers);
      this.notify();
      return;
    }
    const [status, body, headers] = this.answer(method, args);
    send(res, status, body, headers);
    this.notify();
  }

  private answer(method: string, args: Record<string, unknown>): [number, Record<string, unknown>, Record<string, string>?] {
    switch (method) {
      case 'auth.test':
        return [200, { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'account-health', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: 'BFAKE00001' }];
      case 'chat.postMessage':
        return this.post(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return [200, { ok: true, message_ts: this.nextTs() }];
      case 'conversations.join': {
        const channel = String(args.channel ?? '');
        if (this.missingChannels.has(channel)) return [200, { ok: false, error: 'channel_not_found' }];
        if (this.privateChannels.has(channel)) return [200, { ok: false, error: 'method_not_supported_for_channel_type' }];
        if (this.archivedChannels.has(channel)) return [200, { ok: false, error: 'is_archived' }];
        this.notInChannel.delete(channel);
        return [200, { ok: true, channel: { id: channel } }];
      }
      case 'conversations.history': {
        // Newest first; thread replies are not in a channel's history.
        const topLevel = (this.messages.get(String(args.channel ?? '')) ?? []).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
        return [200, page([...topLevel].reverse(), args)];
      }
      case 'conversations.replies': {
        // The parent and its replies, oldest first.
        const parent = String(args.ts ?? '');
        const all = this.messages.get(String(args.channel ?? '')) ?? [];
        if (!all.some((m) => m.ts === parent)) return [200, { ok: false, error: 'thread_not_found' }];
        return [200, page(all.filter((m) => m.ts === parent || m.thread_ts === parent), args)];
      }
      case 'users.info': {
        const user = this.users.get(String(args.user ?? ''));
        if (!user) return [200, { ok: false, error: 'user_not_found' }];
        return [200, { ok: true, user: { is_admin: false, is_owner: false, ...user } }];
      }
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email);
        if (!user) return [200, { ok: false, error: 'users_not_found' }];
        return [200, { ok: true, user: { id: user.id, name: user.real_name ?? user.id, profile: { email: user.email } } }];
      }
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        // As Slack does: an update keeps the view's id; every version of a view gets a new hash.
        const stamp = this.nextTs().replace('.', '');
        const id = method === 'views.update' && typeof args.view_id === 'string' ? args.view_id : `V${stamp}`;
        return [200, { ok: true, view: { ...(typeof args.view === 'object' ? args.view : {}), id, hash: `H${stamp}` } }];
      }
      case 'views.publish':
        return [200, { ok: true, view: { id: 'VHOME' } }];
      case 'reactions.add':
        return [200, { ok: true }];
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (typeof args.filename !== 'string' || args.filename === '' || !Number.isInteger(length) || length <= 0) return [200, { ok: false, error: 'invalid_arguments' }];
        const id = `F${this.nextTs().replace('.', '')}`;
        this.uploads.set(id, { id, filename: args.filename, length, completed: false, ...(typeof args.alt_text === 'string' ? { altText: args.alt_text } : {}) });
        return [200, { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id }];
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : [];
        const found = files.map((f) => this.uploads.get(String(f.id)));
        if (files.length === 0 || found.some((u) => !u || !u.data)) return [200, { ok: false, error: 'file_not_found' }];
        return [200, {
          ok: true,
          files: files.map((f, i) => {
            const upload = found[i] as FakeUpload;
            upload.completed = true;
            if (typeof f.title === 'string') upload.title = f.title;
            return { id: upload.id, name: upload.filename, title: upload.title ?? upload.filename, mimetype: 'image/png', size: upload.length };
          }),
        }];
      }
      default:
        return [200, { ok: false, error: 'unknown_method' }];
    }
  }

  /** The upload URL: like Slack's, it takes the bytes (here as the web client sends them, multipart) and answers 200. */
  private async receiveUpload(id: string, bytes: Buffer, contentType: string): Promise<[number, Record<string, unknown>]> {
    const upload = this.uploads.get(id);
    if (!upload) return [404, { ok: false, error: 'unknown upload' }];
    let data = bytes;
    if (contentType.includes('multipart/form-data')) {
      const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      if (!part || typeof part === 'string') return [400, { ok: false, error: 'no file part' }];
      data = Buffer.from(await part.arrayBuffer());
    }
    if (data.length !== upload.length) return [400, { ok: false, error: `expected ${upload.length} bytes, got ${data.length}` }];
    upload.data = data;
    return [200, { ok: true }];
  }

  private post(args: Record<string, unknown>): [number, Record<string, unknown>, Record<string, string>?] {
    const channel = String(args.channel ?? '');
    if (this.missingChannels.has(channel)) return [200, { ok: false, error: 'channel_not_found' }];
    if (this.archivedChannels.has(channel)) return [200, { ok: false, error: 'is_archived' }];
    if (this.notInChannel.has(channel)) return [200, { ok: false, error: 'not_in_channel' }];
    if (this.channelRateLimit) {
      const now = Date.now();
      const recent = (this.postTimes.get(channel) ?? []).filter((t) => now - t < 1_000);
      if (recent.length >= this.channelRateLimit.perSecond) {
        return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(this.channelRateLimit.retryAfterSeconds) }];
      }
      recent.push(now);
      this.postTimes.set(channel, recent);
    }
    const ts = this.nextTs();
    const message: StoredMessage = { ts, channel, text: args.text, blocks: args.blocks, metadata: args.metadata, user: FAKE_BOT_USER_ID };
    if (typeof args.thread_ts === 'string') message.thread_ts = args.thread_ts;
    this.messages.set(channel, [...(this.messages.get(channel) ?? []), message]);
    return [200, { ok: true, channel, ts, message }];
  }

  private update(args: Record<string, unknown>): [number, Record<string, unknown>] {
    const channel = String(args.channel ?? '');
    const message = this.messages.get(channel)?.find((m) => m.ts === args.ts);
    if (!message) return [200, { ok: false, error: 'message_not_found' }];
    message.text = args.text;
    message.blocks = args.blocks;
    if (args.metadata !== undefined) message.metadata = args.metadata;
    return [200, { ok: true, channel, ts: message.ts }];
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

/** Slack's timeline paging: oldest/latest (exclusive unless `inclusive`), `limit`, and an opaque cursor. */
function page(messages: StoredMessage[], args: Record<string, unknown>): Record<string, unknown> {
  const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
  const after = (ts: string, bound: unknown) => bound === undefined || (inclusive ? compareTs(ts, String(bound)) >= 0 : compareTs(ts, String(bound)) > 0);
  const before = (ts: string, bound: unknown) => bound === undefined || (inclusive ? compareTs(ts, String(bound)) <= 0 : compareTs(ts, String(bound)) < 0);
  const inWindow = messages.filter((m) => after(m.ts, args.oldest) && before(m.ts, args.latest));
  const limit = Math.max(1, Math.min(999, Number(args.limit ?? 100)));
  const offset = typeof args.cursor === 'string' && args.cursor !== '' ? Number(Buffer.from(args.cursor, 'base64').toString('utf8').replace('offset:', '')) : 0;
  const slice = inWindow.slice(offset, offset + limit);
  const hasMore = offset + limit < inWindow.length;
  return {
    ok: true,
    messages: slice,
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' },
  };
}

/** Compares Slack timestamps ("seconds.micros") exactly. */
function compareTs(a: string, b: string): number {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  const seconds = Number(as) - Number(bs);
  return seconds !== 0 ? Math.sign(seconds) : Math.sign(Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0')));
}

async function readBytes(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The Web API client sends form bodies whose complex values are JSON strings. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function send(res: http.ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
