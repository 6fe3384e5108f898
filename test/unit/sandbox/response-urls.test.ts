// response_urls as Slack honours them: ephemeral by default, in_channel on
// request, replace/delete of the message an action came from, five uses,
// thirty minutes.
import { describe, expect, it } from 'vitest';
import { ResponseUrls } from '../../../src/sandbox/response-urls.js';
import { Workspace } from '../../../src/sandbox/workspace.js';

function setUp() {
  let now = 0;
  const ws = new Workspace([{ id: 'U0CSM00001', name: 'Priya', role: 'CSM', isAdmin: false }], [{ id: 'C0GENERAL1', name: 'general', botMember: true }]);
  const urls = new ResponseUrls(ws, () => 'http://127.0.0.1:1', () => now);
  const idOf = (url: string) => url.split('/response/')[1] ?? '';
  return { ws, urls, idOf, advance: (ms: number) => (now += ms) };
}

describe('ResponseUrls', () => {
  it('posts ephemerally by default and publicly with in_channel', () => {
    const { ws, urls, idOf } = setUp();
    const id = idOf(urls.issue('C0GENERAL1', 'U0CSM00001', null));
    expect(urls.respond(id, { text: 'only you' }).status).toBe(200);
    expect(urls.respond(id, { text: 'everyone', response_type: 'in_channel' }).status).toBe(200);
    const [mine, shared] = ws.messages.get('C0GENERAL1') ?? [];
    expect(mine).toMatchObject({ text: 'only you', ephemeralFor: 'U0CSM00001' });
    expect(shared?.ephemeralFor).toBeUndefined();
  });

  it('replaces or deletes the message an action came from', () => {
    const { ws, urls, idOf } = setUp();
    const source = ws.post({ channel: 'C0GENERAL1', user: 'U0SANDBOT1', text: 'Which one?', ephemeralFor: 'U0CSM00001' });
    const id = idOf(urls.issue('C0GENERAL1', 'U0CSM00001', source.ts));
    urls.respond(id, { replace_original: true, text: 'Acme', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Acme' } }] });
    expect(ws.messages.get('C0GENERAL1')).toHaveLength(1);
    expect(ws.find('C0GENERAL1', source.ts)).toMatchObject({ text: 'Acme', ephemeralFor: 'U0CSM00001' });
    urls.respond(id, { delete_original: true });
    expect(ws.messages.get('C0GENERAL1')).toHaveLength(0);
  });

  it('takes five posts, lapses after thirty minutes, and refuses unknown ids', () => {
    const { urls, idOf, advance } = setUp();
    const id = idOf(urls.issue('C0GENERAL1', 'U0CSM00001', null));
    for (let i = 0; i < 5; i += 1) expect(urls.respond(id, { text: `${i}` }).status).toBe(200);
    expect(urls.respond(id, { text: 'sixth' })).toEqual({ status: 404, body: { ok: false, error: 'used_url' } });
    const late = idOf(urls.issue('C0GENERAL1', 'U0CSM00001', null));
    advance(30 * 60_000 + 1);
    expect(urls.respond(late, { text: 'x' }).body).toEqual({ ok: false, error: 'expired_url' });
    expect(urls.respond('forged', { text: 'x' }).body).toEqual({ ok: false, error: 'invalid_url' });
  });
});
