// The score at a glance, end to end: group lines in /health, the chart rendered
// to a real PNG and uploaded through Slack's external upload (in the fake), the
// reply then showing it by file id, the upload reused for the same state, and
// the text trend standing alone when the upload is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { decodePng } from '../support/png.js';
import { DECLINING, HEALTHY, recomputeAt, seedAccounts, setMetrics } from '../support/seed.js';
import { sendInteraction, sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');
const CSM = 'U0CSM00042';
let counter = 0;

interface Block {
  type: string;
  text?: { text: string };
  slack_file?: { id: string };
  alt_text?: string;
  elements?: unknown[];
}
interface Reply {
  text?: string;
  blocks?: Block[];
  replace_original?: boolean;
}

describe.each(DATABASE_KINDS)('/health groups and charts (%s)', (kind) => {
  let t: TestServer;
  let ids: Map<string, number>;

  /** Sends /health and returns every reply its response_url got once `settled` holds (or the first, by default). */
  async function health(text: string, settled: (replies: Reply[]) => boolean = (r) => r.length >= 1): Promise<Reply[]> {
    counter += 1;
    const id = `chart-${counter}`;
    const res = await sendSlashCommand(t.eventsUrl, { text, user_id: CSM, response_url: t.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    return t.fake.waitFor(() => {
      const replies = t.fake.responses.filter((r) => r.id === id).map((r) => r.body as Reply);
      return settled(replies) ? replies : undefined;
    }, 15_000);
  }
  const text = (reply: Reply | undefined) => (reply?.blocks ?? []).map((b) => b.text?.text ?? JSON.stringify(b.elements ?? '')).join('\n');
  const image = (reply: Reply | undefined) => reply?.blocks?.find((b) => b.type === 'image');

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
    ids = await seedAccounts(t.db, now, [
      { externalId: 'FALL-1', name: 'Falling Corp', owner: CSM, metrics: DECLINING },
      { externalId: 'FALL-2', name: 'Refused Ltd', metrics: DECLINING },
      { externalId: 'FALL-3', name: 'Also Refused', metrics: DECLINING },
      { externalId: 'NEW-1', name: 'Brand New', metrics: HEALTHY },
    ]);
    // Healthy 60 days ago, then engagement collapsed (DECLINING): a real 90-day history.
    for (const key of ['FALL-1', 'FALL-2', 'FALL-3']) await setMetrics(t.db, ids.get(key) ?? 0, HEALTHY, new Date(now.getTime() - 61 * DAY));
    await recomputeAt(t.db, new Date(now.getTime() - 60 * DAY));
    await recomputeAt(t.db, now);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists each group with its sub-score and 30-day change before the measures', async () => {
    const [first] = await health('Falling Corp');
    const body = text(first);
    expect(body).toContain('*By group*');
    expect(body).toMatch(/\*Engagement\* \d+\/100 · ↓ -\d+ in 30d/);
    expect(body).toMatch(/\*Transactional\* \d+\/100 · ↓ -\d+ in 30d/);
    expect(body).toMatch(/\*Sentiment\* 100\/100 · → 0 in 30d/);
    expect(body.indexOf('*By group*')).toBeLessThan(body.indexOf('What costs the most points'));
  });

  it('uploads a real PNG through the external upload and replaces the reply with the image by file id', async () => {
    const uploadsBefore = t.fake.uploads.size;
    const replies = await health('FALL-1', (r) => r.some((x) => image(x) !== undefined) || r.length >= 2);
    const withImage = replies.find((r) => image(r));
    // Cached by the first test's /health of the same account and state: either way, one file.
    expect(withImage).toBeDefined();
    const block = image(withImage);
    const upload = t.fake.uploads.get(block?.slack_file?.id ?? '');
    expect(upload?.completed).toBe(true);
    expect(t.fake.uploads.size).toBe(Math.max(uploadsBefore, 1));
    const png = decodePng(upload?.data ?? Buffer.alloc(0));
    expect(png.width).toBe(720);
    expect(png.height).toBeGreaterThan(300);
    expect(upload?.filename).toBe(`health-${ids.get('FALL-1')}-2026-11-20.png`);
    expect(block?.alt_text).toMatch(/^score \d+, down \d+ in 30 days; engagement lowest$/);
    expect(upload?.altText).toBe(block?.alt_text);
    const calls = t.fake.calls.map((c) => c.method).filter((m) => m.startsWith('files.'));
    expect(calls.slice(0, 2)).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
  });

  it('reuses the upload for the same account and state: the first reply already carries the image', async () => {
    const uploads = t.fake.uploads.size;
    const [first] = await health('falling corp');
    expect(image(first)?.slack_file?.id).toBeDefined();
    expect(first?.replace_original).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.fake.uploads.size).toBe(uploads);
  });

  it('shares the breakdown with its chart in the channel', async () => {
    const res = await sendInteraction(t.eventsUrl, {
      type: 'block_actions', user: { id: CSM }, team: { id: 'T0FAKE0001' }, channel: { id: 'C0CHART001' }, response_url: t.fake.responseUrl('chart-share'), trigger_id: 't',
      actions: [{ type: 'button', action_id: ACTION_IDS.shareInChannel, value: String(ids.get('FALL-1')), block_id: 'b' }],
    });
    expect(res.status).toBe(200);
    const post = await t.fake.waitFor(() => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0CHART001'));
    const blocks = post.args.blocks as Block[];
    expect(t.fake.uploads.get(blocks.find((b) => b.type === 'image')?.slack_file?.id ?? '')?.completed).toBe(true);
  });

  it('says in one line that a just-scored account has no chart yet, and uploads nothing', async () => {
    const uploads = t.fake.uploads.size;
    const [first] = await health('Brand New');
    expect(text(first)).toContain('No chart yet: this account was first scored less than a day ago.');
    expect(image(first)).toBeUndefined();
    expect(t.fake.uploads.size).toBe(uploads);
  });

  it('names the weakest group next to each at-risk account', async () => {
    const [first] = await health('at-risk');
    expect(text(first)).toMatch(/Falling Corp.*weakest: engagement \d+/);
  });

  it('keeps the text trend, with no error, when Slack refuses the upload (no files:write), and stops asking for a while', async () => {
    t.fake.script('files.getUploadURLExternal', { status: 200, body: { ok: false, error: 'missing_scope', needed: 'files:write' } });
    const before = t.fake.callsTo('files.getUploadURLExternal').length;
    const [first] = await health('Refused Ltd');
    await t.fake.waitFor(() => t.fake.callsTo('files.getUploadURLExternal').length > before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = t.fake.responses.filter((r) => r.id === `chart-${counter}`);
    expect(replies).toHaveLength(1);
    expect(image(first)).toBeUndefined();
    expect(text(first)).toMatch(/`[▁▂▃▄▅▆▇█ ]+`/);
    expect(text(first)).not.toMatch(/went wrong/i);
    expect(t.logLines.some((l) => l.includes('files:write'))).toBe(true);
    // Paused: the next account's /health does not try again.
    await health('Also Refused');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.fake.callsTo('files.getUploadURLExternal').length).toBe(before + 1);
  });
});
