// What the page shows one person: the sidebar (channels with unread counts,
// their DM with the app), the selected channel's messages with threads and
// reactions, App Home, and their modal stack. Pure: a function of the workspace.
import { BOT_NAME, BOT_USER_ID, type SandboxMessage, type Workspace } from './workspace.js';

export interface PageMessage {
  ts: string;
  author: string;
  authorName: string;
  isBot: boolean;
  text: string;
  blocks: unknown[] | null;
  ephemeral: boolean;
  edited: boolean;
  reactions: { name: string; count: number; mine: boolean; names: string[] }[];
  files: { id: string; title: string; url: string; isImage: boolean }[];
  replies: PageMessage[];
}

export interface PageState {
  version: number;
  me: string;
  clock: string;
  users: { id: string; name: string; role: string; isAdmin: boolean }[];
  channels: { id: string; name: string; kind: 'channel' | 'dm'; unread: number; botMember: boolean }[];
  /** Names for mentions: user ids and channel ids to display names. */
  names: { users: Record<string, string>; channels: Record<string, string> };
  selected: { id: string; name: string; kind: 'channel' | 'dm'; messages: PageMessage[] } | null;
  home: unknown | null;
  modals: { id: string; hash: string; view: unknown; errors: Record<string, string> }[];
}

export function pageState(ws: Workspace, me: string, selectedId: string | null, clock: Date): PageState {
  const userName = (id: string) => (id === BOT_USER_ID ? BOT_NAME : id === 'USLACKBOT' ? 'Slackbot' : (ws.users.get(id)?.name ?? id));
  const channels = [...ws.channels.values()].filter((c) => c.kind === 'channel' || c.owner === me);
  const selected = selectedId ? channels.find((c) => c.id === selectedId) : undefined;
  const toPage = (m: SandboxMessage): PageMessage => ({
    ts: m.ts,
    author: m.user,
    authorName: userName(m.user),
    isBot: m.user === BOT_USER_ID,
    text: m.text,
    blocks: m.blocks ?? null,
    ephemeral: m.ephemeralFor !== undefined,
    edited: m.edited === true,
    reactions: m.reactions.map((r) => ({ name: r.name, count: r.users.length, mine: r.users.includes(me), names: r.users.map(userName) })),
    files: (m.files ?? []).flatMap((id) => {
      const file = ws.files.get(id);
      return file ? [{ id, title: file.title, url: `/files/${id}`, isImage: file.mimetype.startsWith('image/') }] : [];
    }),
    replies: ws.replies(m.channel, m.ts).filter((r) => r.ephemeralFor === undefined || r.ephemeralFor === me).map(toPage),
  });
  return {
    version: ws.version,
    me,
    clock: clock.toISOString(),
    users: [...ws.users.values()].filter((u) => u.persona !== false).map((u) => ({ id: u.id, name: u.name, role: u.role, isAdmin: u.isAdmin })),
    channels: channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind, unread: c.id === selected?.id ? 0 : ws.unread(me, c.id), botMember: c.botMember })),
    names: {
      users: Object.fromEntries([[BOT_USER_ID, BOT_NAME], ...[...ws.users.values()].map((u) => [u.id, u.name])]),
      channels: Object.fromEntries([...ws.channels.values()].filter((c) => c.kind === 'channel').map((c) => [c.id, c.name])),
    },
    selected: selected ? { id: selected.id, name: selected.name, kind: selected.kind, messages: ws.visibleTo(me, selected.id).map(toPage) } : null,
    home: ws.homes.get(me) ?? null,
    modals: (ws.modals.get(me) ?? []).map((v) => ({ id: v.id, hash: v.hash, view: v.view, errors: v.errors })),
  };
}
