// What the page shows one person: their DM only, their ephemeral messages
// only, threads under their parent, unread counts that clear when seen.
import { describe, expect, it } from 'vitest';
import { pageState } from '../../../src/sandbox/page-state.js';
import { BOT_USER_ID, Workspace } from '../../../src/sandbox/workspace.js';

const users = [
  { id: 'U0CSM00001', name: 'Priya Raman', role: 'CSM', isAdmin: false },
  { id: 'U0CSM00002', name: 'Tom Becker', role: 'CSM', isAdmin: false },
];
const at = new Date('2026-12-02T10:00:00Z');

describe('pageState', () => {
  it('lists the channels and only the person\'s own DM with the app', () => {
    const ws = new Workspace(users, [{ id: 'C0GENERAL1', name: 'general', botMember: true }]);
    const state = pageState(ws, 'U0CSM00001', null, at);
    expect(state.channels.map((c) => c.id)).toEqual(['D0CSM00001', 'C0GENERAL1']);
    expect(state.names.users).toMatchObject({ U0CSM00001: 'Priya Raman', [BOT_USER_ID]: 'account-health' });
    expect(state.clock).toBe('2026-12-02T10:00:00.000Z');
  });

  it('offers only personas in the switcher, and names everyone in the directory', () => {
    const ws = new Workspace([...users, { id: 'U0CSM00003', name: 'Mei Chen', role: 'CSM', isAdmin: false, persona: false }], []);
    const state = pageState(ws, 'U0CSM00001', null, at);
    expect(state.users.map((u) => u.id)).toEqual(['U0CSM00001', 'U0CSM00002']);
    expect(state.names.users.U0CSM00003).toBe('Mei Chen');
  });

  it('shows ephemeral messages to their person, and replies under their parent', () => {
    const ws = new Workspace(users, [{ id: 'C0GENERAL1', name: 'general', botMember: true }]);
    const parent = ws.post({ channel: 'C0GENERAL1', user: BOT_USER_ID, text: 'alert' });
    ws.post({ channel: 'C0GENERAL1', user: BOT_USER_ID, text: 'update', threadTs: parent.ts });
    ws.post({ channel: 'C0GENERAL1', user: BOT_USER_ID, text: 'for Tom', ephemeralFor: 'U0CSM00002' });
    ws.react(parent, 'U0CSM00001', 'eyes', true);
    const priya = pageState(ws, 'U0CSM00001', 'C0GENERAL1', at).selected;
    expect(priya?.messages.map((m) => m.text)).toEqual(['alert']);
    expect(priya?.messages[0]?.replies.map((r) => r.text)).toEqual(['update']);
    expect(priya?.messages[0]?.reactions).toEqual([{ name: 'eyes', count: 1, mine: true, names: ['Priya Raman'] }]);
    const tom = pageState(ws, 'U0CSM00002', 'C0GENERAL1', at).selected;
    expect(tom?.messages.map((m) => [m.text, m.ephemeral])).toEqual([['alert', false], ['for Tom', true]]);
    expect(tom?.messages[0]?.reactions[0]?.mine).toBe(false);
  });

  it('counts unread messages until the person has seen the channel', () => {
    const ws = new Workspace(users, [{ id: 'C0GENERAL1', name: 'general', botMember: true }, { id: 'C0ACME0001', name: 'acme', botMember: true }]);
    ws.post({ channel: 'C0ACME0001', user: BOT_USER_ID, text: 'alert 1' });
    ws.post({ channel: 'C0ACME0001', user: BOT_USER_ID, text: 'alert 2' });
    const unread = () => pageState(ws, 'U0CSM00001', 'C0GENERAL1', at).channels.find((c) => c.id === 'C0ACME0001')?.unread;
    expect(unread()).toBe(2);
    ws.markSeen('U0CSM00001', 'C0ACME0001');
    expect(unread()).toBe(0);
    ws.post({ channel: 'C0ACME0001', user: BOT_USER_ID, text: 'alert 3' });
    expect(unread()).toBe(1);
  });
});
