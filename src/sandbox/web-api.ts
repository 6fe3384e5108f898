// The Slack Web API methods the app calls, answered from the sandbox's
// workspace the way Slack answers them: HTTP 200 with `ok:false` and Slack's
// error names, 429 + Retry-After when a rate limit is being simulated.
import { apiMessage, apiView, MAX_UPLOAD_BYTES, messageContent, page, safeJson, sniffMimetype, viewArg } from './slack-shapes.js';
import { APP_ID, BOT_ID, BOT_NAME, BOT_USER_ID, dmIdOf, newHash, TEAM_ID, type OpenView, type Workspace } from './workspace.js';
import type { TriggerIds } from './trigger-ids.js';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Faults the page can ask for, to see how the app copes. */
export interface SimulatedFaults {
  /** The next N chat.postMessage calls answer 429 with Retry-After: 1. */
  rateLimitedPosts: number;
}

const MAX_MODAL_STACK = 3;
const ok = (body: Record<string, unknown> = {}): ApiAnswer => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string): ApiAnswer => ({ status: 200, body: { ok: false, error } });

export class SandboxWebApi {
  constructor(
    private readonly ws: Workspace,
    private readonly triggers: TriggerIds,
    private readonly botToken: string,
    /** This emulator's base URL (upload URLs and file links point at it). */
    private readonly baseUrl: () => string = () => '',
    readonly faults: SimulatedFaults = { rateLimitedPosts: 0 },
  ) {}

  call(method: string, args: Record<string, unknown>, token: string | null): ApiAnswer {
    if (token === null) return fail('not_authed');
    if (token !== this.botToken) return fail('invalid_auth');
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://sandbox.slack.local/', team: 'Sandbox', user: BOT_NAME, team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID });
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.update(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'conversations.join':
        return this.join(args);
      case 'conversations.history':
        return this.history(args);
      case 'conversations.replies':
        return this.replies(args);
      case 'users.info':
        return this.userInfo(args);
      case 'views.open':
        return this.openView(args, false);
      case 'views.push':
        return this.openView(args, true);
      case 'views.update':
        return this.updateView(args);
      case 'views.publish':
        return this.publish(args);
      case 'reactions.add':
      case 'reactions.remove':
        return this.reaction(args, method === 'reactions.add');
      case 'files.getUploadURLExternal':
        return this.uploadUrl(args);
      case 'files.completeUploadExternal':
        return this.completeUpload(args);
      default:
        return fail('unknown_method');
    }
  }

  /** A channel id as the app names it: a user id means the person's DM with the app. */
  private resolveChannel(raw: unknown): string {
    const id = String(raw ?? '');
    return /^[UW]/.test(id) && this.ws.users.has(id) ? dmIdOf(id) : id;
  }

  private postMessage(args: Record<string, unknown>): ApiAnswer {
    const channelId = this.resolveChannel(args.channel);
    const channel = this.ws.channels.get(channelId);
    if (!channel) return fail('channel_not_found');
    if (!channel.botMember) return fail('not_in_channel');
    if (this.faults.rateLimitedPosts > 0) {
      this.faults.rateLimitedPosts -= 1;
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } };
    }
    const content = messageContent(args);
    if (content === null) return fail('no_text');
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (threadTs !== undefined && !this.ws.find(channelId, threadTs)) return fail('thread_not_found');
    const message = this.ws.post({ channel: channelId, user: BOT_USER_ID, ...content, ...(threadTs ? { threadTs } : {}), ...(args.metadata !== undefined ? { metadata: args.metadata } : {}) });
    return ok({ channel: channelId, ts: message.ts, message: apiMessage(message) });
  }

  private update(args: Record<string, unknown>): ApiAnswer {
    const channelId = this.resolveChannel(args.channel);
    if (!this.ws.channels.has(channelId)) return fail('channel_not_found');
    const message = this.ws.find(channelId, String(args.ts ?? ''));
    if (!message || message.ephemeralFor !== undefined) return fail('message_not_found');
    if (message.user !== BOT_USER_ID) return fail('cant_update_message');
    const content = messageContent(args);
    if (content === null) return fail('no_text');
    message.text = content.text;
    if (content.blocks) message.blocks = content.blocks;
    if (args.metadata !== undefined) message.metadata = args.metadata;
    message.edited = true;
    this.ws.touch();
    return ok({ channel: channelId, ts: message.ts, text: message.text });
  }

  private postEphemeral(args: Record<string, unknown>): ApiAnswer {
    const channelId = this.resolveChannel(args.channel);
    const channel = this.ws.channels.get(channelId);
    if (!channel) return fail('channel_not_found');
    const user = String(args.user ?? '');
    if (!this.ws.users.has(user)) return fail('user_not_found');
    const content = messageContent(args);
    if (content === null) return fail('no_text');
    const message = this.ws.post({ channel: channelId, user: BOT_USER_ID, ...content, ephemeralFor: user });
    return ok({ message_ts: message.ts });
  }

  private join(args: Record<string, unknown>): ApiAnswer {
    const channel = this.ws.channels.get(String(args.channel ?? ''));
    if (!channel || channel.kind !== 'channel') return fail('channel_not_found');
    channel.botMember = true;
    this.ws.touch();
    return ok({ channel: { id: channel.id, name: channel.name, is_channel: true, is_member: true } });
  }

  private history(args: Record<string, unknown>): ApiAnswer {
    const channelId = this.resolveChannel(args.channel);
    const channel = this.ws.channels.get(channelId);
    if (!channel) return fail('channel_not_found');
    if (!channel.botMember) return fail('not_in_channel');
    const topLevel = (this.ws.messages.get(channelId) ?? []).filter((m) => m.ephemeralFor === undefined && (m.threadTs === undefined || m.threadTs === m.ts));
    return ok(page([...topLevel].reverse(), args));
  }

  private replies(args: Record<string, unknown>): ApiAnswer {
    const channelId = this.resolveChannel(args.channel);
    if (!this.ws.channels.has(channelId)) return fail('channel_not_found');
    const parent = this.ws.find(channelId, String(args.ts ?? ''));
    if (!parent) return fail('thread_not_found');
    return ok(page([parent, ...this.ws.replies(channelId, parent.ts)], args));
  }

  private userInfo(args: Record<string, unknown>): ApiAnswer {
    const user = this.ws.users.get(String(args.user ?? ''));
    if (!user) return fail('user_not_found');
    // Workspace admins are admins in Slack's sense too; ADMIN_USER_IDS names the sandbox admin as well.
    return ok({ user: { id: user.id, team_id: TEAM_ID, name: user.name.toLowerCase().replace(/\s+/g, '.'), real_name: user.name, is_admin: user.isAdmin, is_owner: false, is_bot: false, tz: 'Europe/London' } });
  }

  private openView(args: Record<string, unknown>, push: boolean): ApiAnswer {
    const view = viewArg(args.view);
    if (!view) return fail('invalid_arguments');
    const user = this.triggers.use(String(args.trigger_id ?? ''));
    if (user.kind !== 'valid') return fail(user.kind === 'expired' ? 'expired_trigger_id' : 'invalid_trigger_id');
    const stack = this.ws.modals.get(user.user) ?? [];
    if (push && stack.length === 0) return fail('not_found');
    if (push && stack.length >= MAX_MODAL_STACK) return fail('push_limit_reached');
    const opened: OpenView = { ...this.ws.newViewId(), user: user.user, view, errors: {} };
    // views.open replaces whatever the person had open; views.push stacks.
    this.ws.modals.set(user.user, push ? [...stack, opened] : [opened]);
    this.ws.touch();
    return ok({ view: apiView(opened, stack[0]) });
  }

  private updateView(args: Record<string, unknown>): ApiAnswer {
    const view = viewArg(args.view);
    if (!view) return fail('invalid_arguments');
    const open = this.ws.findView(String(args.view_id ?? ''));
    if (!open) return fail('not_found');
    if (typeof args.hash === 'string' && args.hash !== open.hash) return fail('hash_conflict');
    open.view = view;
    open.hash = newHash();
    open.errors = {};
    this.ws.touch();
    return ok({ view: apiView(open, this.ws.modals.get(open.user)?.[0]) });
  }

  private publish(args: Record<string, unknown>): ApiAnswer {
    const view = viewArg(args.view);
    const user = String(args.user_id ?? '');
    if (!view || view.type !== 'home') return fail('invalid_arguments');
    if (!this.ws.users.has(user)) return fail('user_not_found');
    this.ws.homes.set(user, view);
    this.ws.touch();
    return ok({ view: { ...view, id: `VHOME${user}`, hash: newHash(), team_id: TEAM_ID, app_id: APP_ID, bot_id: BOT_ID } });
  }

  private uploadUrl(args: Record<string, unknown>): ApiAnswer {
    const name = typeof args.filename === 'string' ? args.filename : '';
    const length = Number(args.length);
    if (name === '' || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    if (length > MAX_UPLOAD_BYTES) return fail('file_too_large');
    const id = `F${this.ws.newViewId().id.slice(1)}`;
    this.ws.files.set(id, { id, name, title: name, bytes: null, mimetype: 'application/octet-stream', completed: false });
    return ok({ upload_url: `${this.baseUrl()}/upload/${id}`, file_id: id });
  }

  /** The bytes posted to an upload URL; false when no such upload is pending. */
  receiveUpload(id: string, bytes: Buffer): boolean {
    const file = this.ws.files.get(id);
    if (!file || file.completed || bytes.length === 0 || bytes.length > MAX_UPLOAD_BYTES) return false;
    file.bytes = bytes;
    file.mimetype = sniffMimetype(bytes);
    return true;
  }

  private completeUpload(args: Record<string, unknown>): ApiAnswer {
    const raw = typeof args.files === 'string' ? safeJson(args.files) : args.files;
    if (!Array.isArray(raw) || raw.length === 0) return fail('invalid_arguments');
    const files = raw.map((f: unknown) => (typeof f === 'object' && f !== null ? (f as Record<string, unknown>) : {}));
    const stored = files.map((f) => this.ws.files.get(String(f.id ?? '')));
    if (stored.some((f) => !f || f.bytes === null || f.completed)) return fail('file_not_found');
    const channelId = typeof args.channel_id === 'string' ? this.resolveChannel(args.channel_id) : null;
    const channel = channelId === null ? null : this.ws.channels.get(channelId);
    if (channelId !== null && !channel) return fail('channel_not_found');
    if (channel && !channel.botMember) return fail('not_in_channel');
    files.forEach((f, i) => {
      const file = stored[i];
      if (!file) return;
      file.completed = true;
      if (typeof f.title === 'string' && f.title !== '') file.title = f.title;
    });
    const ids = stored.map((f) => f?.id ?? '');
    if (channel) {
      const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
      this.ws.post({ channel: channel.id, user: BOT_USER_ID, text: typeof args.initial_comment === 'string' ? args.initial_comment : '', files: ids, ...(threadTs ? { threadTs } : {}) });
    }
    return ok({ files: stored.map((f) => ({ id: f?.id, name: f?.name, title: f?.title, mimetype: f?.mimetype, url_private: `${this.baseUrl()}/files/${f?.id}`, permalink: `${this.baseUrl()}/files/${f?.id}` })) });
  }

  private reaction(args: Record<string, unknown>, add: boolean): ApiAnswer {
    const message = this.ws.find(this.resolveChannel(args.channel), String(args.timestamp ?? ''));
    if (!message) return fail('message_not_found');
    const changed = this.ws.react(message, BOT_USER_ID, String(args.name ?? ''), add);
    return changed ? ok() : fail(add ? 'already_reacted' : 'no_reaction');
  }
}
