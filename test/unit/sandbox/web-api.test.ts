// The emulator's Web API answers as Slack does: its error names, a bot that
// must join a channel before posting there, modal stacks and hashes, and a
// rate limit on request.
import { describe, expect, it } from 'vitest';
import { AppLink } from '../../../src/sandbox/app-link.js';
import { ResponseUrls } from '../../../src/sandbox/response-urls.js';
import { TriggerIds } from '../../../src/sandbox/trigger-ids.js';
import { UserActions } from '../../../src/sandbox/user-actions.js';
import { SandboxWebApi } from '../../../src/sandbox/web-api.js';
import { BOT_USER_ID, Workspace } from '../../../src/sandbox/workspace.js';

const TOKEN = 'xoxb-sandbox-test';
const users = [{ id: 'U0CSM00001', name: 'Priya Raman', role: 'CSM', isAdmin: false }];

function setUp(now = () => 1_000_000) {
  const ws = new Workspace(users, [{ id: 'C0GENERAL1', name: 'general', botMember: true }, { id: 'C0ACME0001', name: 'acme', botMember: false }]);
  const triggers = new TriggerIds(now);
  const api = new SandboxWebApi(ws, triggers, TOKEN);
  const call = (method: string, args: Record<string, unknown>) => api.call(method, args, TOKEN);
  return { ws, triggers, api, call };
}

describe('SandboxWebApi', () => {
  it('refuses calls without the run\'s bot token', () => {
    const { api } = setUp();
    expect(api.call('auth.test', {}, null).body).toEqual({ ok: false, error: 'not_authed' });
    expect(api.call('auth.test', {}, 'xoxb-other').body).toEqual({ ok: false, error: 'invalid_auth' });
    expect(api.call('auth.test', {}, TOKEN).body).toMatchObject({ ok: true, user_id: BOT_USER_ID });
  });

  it('answers channel_not_found, not_in_channel until joined, then posts', () => {
    const { call, ws } = setUp();
    expect(call('chat.postMessage', { channel: 'C0NOPE0001', text: 'x' }).body).toEqual({ ok: false, error: 'channel_not_found' });
    expect(call('chat.postMessage', { channel: 'C0ACME0001', text: 'x' }).body).toEqual({ ok: false, error: 'not_in_channel' });
    expect(call('conversations.join', { channel: 'C0ACME0001' }).body).toMatchObject({ ok: true });
    const posted = call('chat.postMessage', { channel: 'C0ACME0001', text: 'alert', blocks: [{ type: 'divider' }], metadata: { event_type: 'alert', event_payload: { id: 1 } } });
    expect(posted.body).toMatchObject({ ok: true, channel: 'C0ACME0001' });
    const stored = ws.messages.get('C0ACME0001')?.[0];
    expect(stored?.blocks?.[0]).toMatchObject({ type: 'divider', block_id: expect.any(String) });
    expect(call('conversations.history', { channel: 'C0ACME0001' }).body).toMatchObject({ messages: [{ text: 'alert', metadata: { event_type: 'alert' } }] });
  });

  it('answers no_text for an empty post and posts to a person\'s DM when given their user id', () => {
    const { call, ws } = setUp();
    expect(call('chat.postMessage', { channel: 'C0GENERAL1' }).body).toEqual({ ok: false, error: 'no_text' });
    expect(call('chat.postMessage', { channel: 'U0CSM00001', text: 'Saved' }).body).toMatchObject({ ok: true, channel: 'D0CSM00001' });
    expect(ws.messages.get('D0CSM00001')?.[0]?.text).toBe('Saved');
  });

  it('threads replies, keeps them out of history, and pages with a cursor', () => {
    const { call } = setUp();
    const parent = call('chat.postMessage', { channel: 'C0GENERAL1', text: 'parent' }).body.ts as string;
    call('chat.postMessage', { channel: 'C0GENERAL1', text: 'reply', thread_ts: parent });
    call('chat.postMessage', { channel: 'C0GENERAL1', text: 'later' });
    expect(call('chat.postMessage', { channel: 'C0GENERAL1', text: 'x', thread_ts: '1.000009' }).body).toEqual({ ok: false, error: 'thread_not_found' });
    const first = call('conversations.history', { channel: 'C0GENERAL1', limit: 1 }).body as { messages: { text: string }[]; has_more: boolean; response_metadata: { next_cursor: string } };
    expect(first.messages.map((m) => m.text)).toEqual(['later']);
    expect(first.has_more).toBe(true);
    const second = call('conversations.history', { channel: 'C0GENERAL1', limit: 1, cursor: first.response_metadata.next_cursor }).body as { messages: { text: string }[] };
    expect(second.messages.map((m) => m.text)).toEqual(['parent']);
    expect((call('conversations.replies', { channel: 'C0GENERAL1', ts: parent }).body.messages as { text: string }[]).map((m) => m.text)).toEqual(['parent', 'reply']);
  });

  it('updates only the bot\'s own messages', () => {
    const { call, ws } = setUp();
    const ts = call('chat.postMessage', { channel: 'C0GENERAL1', text: 'v1' }).body.ts as string;
    expect(call('chat.update', { channel: 'C0GENERAL1', ts, text: 'v2' }).body).toMatchObject({ ok: true });
    expect(ws.find('C0GENERAL1', ts)).toMatchObject({ text: 'v2', edited: true });
    const human = ws.post({ channel: 'C0GENERAL1', user: 'U0CSM00001', text: 'mine' });
    expect(call('chat.update', { channel: 'C0GENERAL1', ts: human.ts, text: 'x' }).body).toEqual({ ok: false, error: 'cant_update_message' });
    expect(call('chat.update', { channel: 'C0GENERAL1', ts: '1.999999', text: 'x' }).body).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('shows ephemeral messages to one person only', () => {
    const { call, ws } = setUp();
    expect(call('chat.postEphemeral', { channel: 'C0GENERAL1', user: 'U0NOBODY01', text: 'x' }).body).toEqual({ ok: false, error: 'user_not_found' });
    call('chat.postEphemeral', { channel: 'C0GENERAL1', user: 'U0CSM00001', text: 'just you' });
    expect(ws.visibleTo('U0CSM00001', 'C0GENERAL1').map((m) => m.text)).toEqual(['just you']);
    expect(ws.visibleTo('U0OTHER001', 'C0GENERAL1')).toEqual([]);
  });

  it('opens modals with a live trigger only, stacks pushes up to three, and checks hashes on update', () => {
    let now = 1_000_000;
    const { call, triggers, ws } = setUp(() => now);
    const view = { type: 'modal', title: { type: 'plain_text', text: 'Tune' }, blocks: [] };
    expect(call('views.open', { trigger_id: 'made-up', view }).body).toEqual({ ok: false, error: 'invalid_trigger_id' });
    const late = triggers.issue('U0CSM00001');
    now += 3_001;
    expect(call('views.open', { trigger_id: late, view }).body).toEqual({ ok: false, error: 'expired_trigger_id' });
    const trigger = triggers.issue('U0CSM00001');
    const opened = call('views.open', { trigger_id: trigger, view: JSON.stringify(view) }).body.view as { id: string; hash: string };
    expect(call('views.open', { trigger_id: trigger, view }).body).toEqual({ ok: false, error: 'invalid_trigger_id' });
    expect(call('views.update', { view_id: opened.id, hash: 'stale', view }).body).toEqual({ ok: false, error: 'hash_conflict' });
    const updated = call('views.update', { view_id: opened.id, hash: opened.hash, view: { ...view, title: { type: 'plain_text', text: 'Tune 2' } } }).body.view as { id: string; hash: string };
    expect(updated.id).toBe(opened.id);
    expect(updated.hash).not.toBe(opened.hash);
    call('views.push', { trigger_id: triggers.issue('U0CSM00001'), view });
    call('views.push', { trigger_id: triggers.issue('U0CSM00001'), view });
    expect(call('views.push', { trigger_id: triggers.issue('U0CSM00001'), view }).body).toEqual({ ok: false, error: 'push_limit_reached' });
    expect(ws.modals.get('U0CSM00001')).toHaveLength(3);
    expect(call('views.update', { view_id: 'VNOPE', view }).body).toEqual({ ok: false, error: 'not_found' });
  });

  it('publishes App Home per person', () => {
    const { call, ws } = setUp();
    expect(call('views.publish', { user_id: 'U0CSM00001', view: { type: 'modal', blocks: [] } }).body).toEqual({ ok: false, error: 'invalid_arguments' });
    expect(call('views.publish', { user_id: 'U0CSM00001', view: { type: 'home', blocks: [] } }).body).toMatchObject({ ok: true });
    expect(ws.homes.get('U0CSM00001')).toMatchObject({ type: 'home' });
  });

  it('answers 429 ratelimited with Retry-After while a rate limit is simulated, then posts again', () => {
    const { call, api } = setUp();
    api.faults.rateLimitedPosts = 1;
    expect(call('chat.postMessage', { channel: 'C0GENERAL1', text: 'x' })).toEqual({ status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } });
    expect(call('chat.postMessage', { channel: 'C0GENERAL1', text: 'x' }).body).toMatchObject({ ok: true });
  });

  it('answers unknown_method for anything else, and user_not_found for strangers', () => {
    const { call } = setUp();
    expect(call('admin.users.remove', {}).body).toEqual({ ok: false, error: 'unknown_method' });
    expect(call('users.info', { user: 'U0NOBODY01' }).body).toEqual({ ok: false, error: 'user_not_found' });
    expect(call('users.info', { user: 'U0CSM00001' }).body).toMatchObject({ ok: true, user: { id: 'U0CSM00001', is_admin: false } });
  });
});

describe('UserActions /invite', () => {
  it('adds the app to a channel, as the app\'s "invite me" advice asks', async () => {
    const { ws, triggers } = setUp();
    const actions = new UserActions(ws, new AppLink(() => 'http://127.0.0.1:9/slack/events', 'secret'), triggers, new ResponseUrls(ws, () => 'http://127.0.0.1:9'));
    expect(await actions.command('U0CSM00001', 'C0ACME0001', '/invite @someone')).toMatchObject({ ok: false });
    expect(await actions.command('U0CSM00001', 'C0ACME0001', '/invite @account-health')).toEqual({ ok: true });
    expect(ws.channels.get('C0ACME0001')?.botMember).toBe(true);
    expect(await actions.command('U0CSM00001', 'C0ACME0001', '/invite @account-health')).toEqual({ ok: false, error: 'account-health is already in this channel.' });
    expect(await actions.command('U0CSM00001', 'C0ACME0001', '/weather')).toMatchObject({ ok: false, error: expect.stringMatching(/not a valid command/) });
  });
});

describe('external file uploads', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

  it('takes the bytes at the upload URL, then shares the file in a channel with its comment', () => {
    const { ws, triggers } = setUp();
    const api = new SandboxWebApi(ws, triggers, TOKEN, () => 'http://127.0.0.1:9');
    const call = (method: string, args: Record<string, unknown>) => api.call(method, args, TOKEN);
    expect(call('files.getUploadURLExternal', { filename: 'chart.png' }).body).toEqual({ ok: false, error: 'invalid_arguments' });
    const { upload_url: uploadUrl, file_id: fileId } = call('files.getUploadURLExternal', { filename: 'chart.png', length: png.length }).body as { upload_url: string; file_id: string };
    expect(uploadUrl).toBe(`http://127.0.0.1:9/upload/${fileId}`);
    expect(call('files.completeUploadExternal', { files: JSON.stringify([{ id: fileId }]), channel_id: 'C0GENERAL1' }).body).toEqual({ ok: false, error: 'file_not_found' });
    expect(api.receiveUpload(fileId, png)).toBe(true);
    expect(call('files.completeUploadExternal', { files: [{ id: fileId, title: 'Score, 90 days' }], channel_id: 'C0ACME0001' }).body).toEqual({ ok: false, error: 'not_in_channel' });
    const done = call('files.completeUploadExternal', { files: JSON.stringify([{ id: fileId, title: 'Score, 90 days' }]), channel_id: 'C0GENERAL1', initial_comment: 'Trend' });
    expect(done.body).toMatchObject({ ok: true, files: [{ id: fileId, title: 'Score, 90 days', mimetype: 'image/png', url_private: `http://127.0.0.1:9/files/${fileId}` }] });
    expect(ws.messages.get('C0GENERAL1')?.at(-1)).toMatchObject({ text: 'Trend', files: [fileId] });
    expect(api.receiveUpload(fileId, png)).toBe(false);
  });

  it('refuses uploads past the size limit', () => {
    const { call } = setUp();
    expect(call('files.getUploadURLExternal', { filename: 'big.png', length: 50_000_000 }).body).toEqual({ ok: false, error: 'file_too_large' });
  });
});
