// The sandbox's Slack workspace, in memory: people, channels, messages (with
// threads, reactions and ephemeral ones), App Home tabs and open modals. The
// Web API and the page both read and change it; every change bumps `version`
// so the page, waiting on `changed()`, redraws at once.
import { randomBytes } from 'node:crypto';

export interface SandboxUser {
  id: string;
  name: string;
  /** What the person does, shown in the user switcher. */
  role: string;
  isAdmin: boolean;
  /** False for people who are only in the directory (mentioned, looked up) and cannot be acted as. */
  persona?: boolean;
}

export interface SandboxChannel {
  id: string;
  name: string;
  kind: 'channel' | 'dm';
  /** For a DM with the app: the person it belongs to. */
  owner?: string;
  /** Whether the app's bot is in the channel (posting elsewhere answers not_in_channel). */
  botMember: boolean;
}

/** A file uploaded with Slack's external upload (files.getUploadURLExternal, then files.completeUploadExternal). */
export interface SandboxFile {
  id: string;
  name: string;
  title: string;
  /** Null until the bytes are posted to the upload URL. */
  bytes: Buffer | null;
  mimetype: string;
  completed: boolean;
}

export interface Reaction {
  name: string;
  users: string[];
}

export interface SandboxMessage {
  ts: string;
  channel: string;
  /** Author: a user id, or the bot's. */
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  metadata?: unknown;
  /** Seen only by this user (chat.postEphemeral, ephemeral response_url replies). */
  ephemeralFor?: string;
  reactions: Reaction[];
  edited?: boolean;
  /** Files shared with the message (ids into Workspace.files). */
  files?: string[];
}

export interface OpenView {
  id: string;
  hash: string;
  user: string;
  /** The view as the app sent it. */
  view: Record<string, unknown>;
  /** Inline errors from a `response_action: errors` answer, by block_id. */
  errors: Record<string, string>;
}

export const BOT_USER_ID = 'U0SANDBOT1';
export const BOT_ID = 'B0SANDBOT1';
export const TEAM_ID = 'T0SANDBOX1';
export const APP_ID = 'A0SANDBOX1';
export const BOT_NAME = 'account-health';

export class Workspace {
  readonly users = new Map<string, SandboxUser>();
  readonly channels = new Map<string, SandboxChannel>();
  readonly messages = new Map<string, SandboxMessage[]>();
  readonly homes = new Map<string, Record<string, unknown>>();
  readonly files = new Map<string, SandboxFile>();
  /** Each person's modal stack, bottom first (Slack allows three). */
  readonly modals = new Map<string, OpenView[]>();
  /** Unread marks: the newest ts each person has seen in each channel. */
  private readonly seen = new Map<string, string>();
  private tsSeconds = Math.floor(Date.now() / 1000);
  private tsCounter = 0;
  private waiters: (() => void)[] = [];
  version = 0;

  constructor(users: readonly SandboxUser[], channels: readonly Omit<SandboxChannel, 'kind'>[]) {
    for (const user of users) {
      this.users.set(user.id, user);
      this.addChannel({ id: dmIdOf(user.id), name: BOT_NAME, kind: 'dm', owner: user.id, botMember: true });
    }
    for (const channel of channels) this.addChannel({ ...channel, kind: 'channel' });
  }

  private addChannel(channel: SandboxChannel): void {
    this.channels.set(channel.id, channel);
    this.messages.set(channel.id, []);
  }

  /** Something changed: wake everyone waiting. */
  touch(): void {
    this.version += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next change after `version`, or after `timeoutMs`. */
  changed(version: number, timeoutMs: number): Promise<void> {
    if (this.version > version) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Slack timestamps: unique, increasing, "seconds.micros". */
  nextTs(): string {
    this.tsSeconds = Math.max(this.tsSeconds, Math.floor(Date.now() / 1000));
    this.tsCounter += 1;
    return `${this.tsSeconds}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  post(message: Omit<SandboxMessage, 'ts' | 'reactions'>): SandboxMessage {
    const stored: SandboxMessage = { ...message, ts: this.nextTs(), reactions: [] };
    this.messages.get(message.channel)?.push(stored);
    this.touch();
    return stored;
  }

  find(channel: string, ts: string): SandboxMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  remove(channel: string, ts: string): void {
    const list = this.messages.get(channel);
    const at = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    this.touch();
  }

  /** Adds or removes one person's reaction; false when nothing changed (Slack: already_reacted / no_reaction). */
  react(message: SandboxMessage, user: string, name: string, add: boolean): boolean {
    const reaction = message.reactions.find((r) => r.name === name);
    if (add) {
      if (reaction?.users.includes(user)) return false;
      if (reaction) reaction.users.push(user);
      else message.reactions.push({ name, users: [user] });
    } else {
      if (!reaction?.users.includes(user)) return false;
      reaction.users = reaction.users.filter((u) => u !== user);
      if (reaction.users.length === 0) message.reactions = message.reactions.filter((r) => r !== reaction);
    }
    this.touch();
    return true;
  }

  /** Top-level messages a person can see in a channel, oldest first. */
  visibleTo(user: string, channel: string): SandboxMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => (m.ephemeralFor === undefined || m.ephemeralFor === user) && isTopLevel(m));
  }

  replies(channel: string, threadTs: string): SandboxMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => m.threadTs === threadTs && m.ts !== threadTs);
  }

  markSeen(user: string, channel: string): void {
    const last = this.messages.get(channel)?.at(-1);
    if (last) this.seen.set(`${user}:${channel}`, last.ts);
  }

  /** Messages (top level or in threads) a person has not seen yet in a channel. */
  unread(user: string, channel: string): number {
    const seen = this.seen.get(`${user}:${channel}`);
    return (this.messages.get(channel) ?? []).filter((m) => (m.ephemeralFor === undefined || m.ephemeralFor === user) && (seen === undefined || m.ts > seen)).length;
  }

  /** A new modal view id and hash, Slack-shaped. */
  newViewId(): { id: string; hash: string } {
    return { id: `V${randomBytes(5).toString('hex').toUpperCase()}`, hash: newHash() };
  }

  findView(viewId: string): OpenView | undefined {
    for (const stack of this.modals.values()) {
      const view = stack.find((v) => v.id === viewId);
      if (view) return view;
    }
    return undefined;
  }
}

export function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(6).toString('hex')}`;
}

export function dmIdOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

function isTopLevel(message: SandboxMessage): boolean {
  return message.threadTs === undefined || message.threadTs === message.ts;
}
