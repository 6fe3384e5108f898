// Alerts that cannot be delivered end visibly failed — never retried forever,
// never lost: a channel that is gone, archived or private fails the post and
// everything queued behind it, /health alerts names them, and with
// ALERT_FALLBACK_CHANNEL_ID the post goes to the fallback channel instead,
// where it can be claimed like any other. Unexpected errors count attempts too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliverer } from '../../src/alerts/deliver-outbox.js';
import { runRecomputeAndAlerts } from '../../src/alerts/recompute-and-alert.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { FAKE_BOT_USER_ID } from '../support/fake-slack.js';
import { DECLINING, HEALTHY, seedAccounts, setMetrics } from '../support/seed.js';
import { sendEvent, sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WORSE = { ...HEALTHY, orders_30d: 1, logins_30d: 10, feature_adoption_pct: 5, open_support_tickets: 14, nps: -40, csat: 50 };
const FALLBACK = 'C0FALLBK01';

describe.each(DATABASE_KINDS)('alert delivery failures (%s)', (kind) => {
  let t: TestServer;
  let now = new Date('2026-10-10T09:00:00Z');
  let ids = new Map<string, number>();
  const deps = () => ({ ...t.server.deps, clock: () => now });
  const deliverer = (options = {}) => new AlertDeliverer(deps(), { channelGapMs: 0, ...options });
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const alertOf = (externalId: string) => t.db.prisma.alert.findFirstOrThrow({ where: { accountId: ids.get(externalId) } });
  const rowsOf = async (externalId: string) => t.db.prisma.slackOutbox.findMany({ where: { alertId: (await alertOf(externalId)).id }, orderBy: { id: 'asc' } });
  const postsTo = (channel: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const worsen = async (externalIds: string[]) => {
    later(DAY);
    for (const id of externalIds) await setMetrics(t.db, ids.get(id) ?? 0, WORSE, new Date(now.getTime() - HOUR));
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
  };

  /**
   * Three declining accounts whose channels Slack will refuse (gone, archived,
   * private to the bot), each with an alert raised; GONE's then worsens, which
   * queues an update and a thread reply behind the post that will fail.
   */
  const startWithUndeliverableChannels = async (env: Record<string, string>) => {
    t = await startTestServer(kind, { clock: () => now, env });
    ids = await seedAccounts(t.db, now, [
      { externalId: 'GONE', name: 'Gone Ltd', channel: 'C0GONE0001', metrics: DECLINING },
      { externalId: 'ARCH', name: 'Archived Inc', channel: 'C0ARCH0001', metrics: DECLINING },
      { externalId: 'PRIV', name: 'Private Co', channel: 'C0PRIV0001', metrics: DECLINING },
    ]);
    t.fake.missingChannels.add('C0GONE0001');
    t.fake.archivedChannels.add('C0ARCH0001');
    t.fake.notInChannel.add('C0PRIV0001');
    t.fake.privateChannels.add('C0PRIV0001');
    later(HOUR);
    await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
    await worsen(['GONE']);
  };

  describe('without a fallback channel', () => {
    beforeAll(async () => {
      await startWithUndeliverableChannels({});
    });
    afterAll(async () => {
      await t.close();
    });

    it('fails a post to a missing, archived or private channel, and everything queued behind it', async () => {
      expect((await rowsOf('GONE')).map((r) => r.kind)).toEqual(['post', 'update', 'thread_reply']);
      expect(await deliverer().deliverDue()).toMatchObject({ sent: 0, failed: 3 });
      expect(await rowsOf('GONE')).toMatchObject([
        { status: 'failed', lastError: 'channel_not_found' },
        { status: 'failed', lastError: 'not sent: the alert post failed (channel_not_found)' },
        { status: 'failed', lastError: 'not sent: the alert post failed (channel_not_found)' },
      ]);
      expect(await rowsOf('ARCH')).toMatchObject([{ status: 'failed', lastError: 'is_archived' }]);
      expect((await rowsOf('PRIV'))[0]?.lastError).toMatch(/^not_in_channel: the bot could not join \(method_not_supported_for_channel_type; private channel\?\)/);
      expect(t.logLines.filter((l) => l.includes('alert message could not be delivered') && l.includes('"kind":"post"'))).toHaveLength(3);
    });

    it('fails later updates of an undelivered alert at once and never leases its rows again', async () => {
      later(DAY);
      await setMetrics(t.db, ids.get('GONE') ?? 0, DECLINING, new Date(now.getTime() - HOUR));
      await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
      const queued = (await rowsOf('GONE')).filter((r) => r.status === 'pending');
      expect(queued.length).toBeGreaterThan(0);
      await deliverer().deliverDue();
      expect((await rowsOf('GONE')).every((r) => r.status === 'failed')).toBe(true);
      for (let i = 0; i < 3; i += 1) {
        later(HOUR);
        expect(await deliverer().deliverDue()).toEqual({ sent: 0, failed: 0, deferred: 0 });
      }
      expect(postsTo('C0GONE0001')).toHaveLength(1);
      expect(t.fake.callsTo('chat.update')).toHaveLength(0);
    });

    it('names the undelivered alerts in /health alerts', async () => {
      const res = await sendSlashCommand(t.eventsUrl, { text: 'alerts', response_url: t.fake.responseUrl('undelivered') });
      expect(res.status).toBe(200);
      const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'undelivered'));
      const text = String(reply.body.text);
      expect(text).toContain(':warning: *3 alerts could not be posted to Slack*');
      expect(text).toContain('Gone Ltd (<#C0GONE0001>: channel_not_found)');
      expect(text).toContain('Archived Inc (<#C0ARCH0001>: is_archived)');
      expect(text).toContain('set ALERT_FALLBACK_CHANNEL_ID');
    });

    it("shows an undelivered alert in the account's /health breakdown, with the reason and what to do", async () => {
      const breakdown = async (text: string, id: string) => {
        expect((await sendSlashCommand(t.eventsUrl, { text, response_url: t.fake.responseUrl(id) })).status).toBe(200);
        return JSON.stringify((await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === id))).body.blocks);
      };
      const priv = await breakdown('private co', 'breakdown-private');
      expect(priv).toContain(':warning: *This alert was not posted to Slack*: not_in_channel');
      expect(priv).toContain('invite the bot to <#C0PRIV0001> (`/invite @account-health`)');
      expect(priv).toContain('set ALERT_FALLBACK_CHANNEL_ID');
      expect(await breakdown('gone ltd', 'breakdown-gone')).toContain('*This alert was not posted to Slack*: channel_not_found');
      // An account without a channel: nowhere to post, and the breakdown says how to give it one.
      const [noChannel] = [...(await seedAccounts(t.db, now, [{ externalId: 'NOCHAN', name: 'Nochannel GmbH', metrics: DECLINING }])).values()];
      ids.set('NOCHAN', noChannel ?? 0);
      later(HOUR);
      await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
      const none = await breakdown('nochannel', 'breakdown-nochannel');
      expect(none).toContain('*This alert was not posted to Slack*: the account has no Slack channel');
      expect(none).toContain("set the account's slack_channel_id");
    });

    it('counts unexpected errors (a message that cannot be rendered) as attempts and ends failed', async () => {
      const [id] = [...(await seedAccounts(t.db, now, [{ externalId: 'BROKEN', name: 'Broken Data', channel: 'C0BROKEN01', metrics: DECLINING }])).values()];
      ids.set('BROKEN', id ?? 0);
      later(HOUR);
      await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
      await t.db.prisma.alert.update({ where: { id: (await alertOf('BROKEN')).id }, data: { reason: { not: 'an alert reason' } } });
      const reports = [];
      for (let i = 0; i < 5; i += 1) {
        reports.push(await deliverer({ maxAttempts: 3 }).deliverDue());
        later(HOUR);
      }
      expect(reports.map((r) => r.failed + r.deferred)).toEqual([1, 1, 1, 0, 0]);
      const [row] = await rowsOf('BROKEN');
      expect(row).toMatchObject({ status: 'failed', attempts: 3 });
      expect(row?.lastError).toMatch(/^gave up after 3 attempts: unexpected: /);
      expect(postsTo('C0BROKEN01')).toHaveLength(0);
      expect(t.logLines.some((l) => l.includes('alert delivery failed unexpectedly'))).toBe(true);
    });

    it('never posts blind when the "already posted?" lookup keeps failing, and ends failed', async () => {
      const [id] = [...(await seedAccounts(t.db, now, [{ externalId: 'LOOKUP', name: 'Lookup Ltd', channel: 'C0LOOKUP01', metrics: DECLINING }])).values()];
      ids.set('LOOKUP', id ?? 0);
      later(HOUR);
      await runRecomputeAndAlerts(deps(), { trigger: 'cli', asOf: now });
      t.fake.script('chat.postMessage', { status: 500, body: { ok: false } });
      t.fake.script('conversations.history', { status: 500, body: { ok: false } }, { status: 503, body: { ok: false } });
      for (let i = 0; i < 5; i += 1) {
        await deliverer({ maxAttempts: 3 }).deliverDue();
        later(HOUR);
      }
      const [row] = await rowsOf('LOOKUP');
      expect(row).toMatchObject({ status: 'failed', attempts: 3 });
      expect(postsTo('C0LOOKUP01')).toHaveLength(1);
      expect(t.fake.callsTo('conversations.history').filter((c) => c.args.channel === 'C0LOOKUP01')).toHaveLength(2);
    });
  });

  describe('with ALERT_FALLBACK_CHANNEL_ID', () => {
    beforeAll(async () => {
      await startWithUndeliverableChannels({ ALERT_FALLBACK_CHANNEL_ID: FALLBACK });
    });
    afterAll(async () => {
      await t.close();
    });

    it('posts alerts the account channel cannot take to the fallback channel, saying why, with their thread', async () => {
      for (let i = 0; i < 4; i += 1) {
        await deliverer().deliverDue();
        later(10_000);
      }
      const posts = t.fake.topLevel(FALLBACK);
      expect(posts).toHaveLength(3);
      for (const [externalId, channel, why] of [['GONE', 'C0GONE0001', 'channel_not_found'], ['ARCH', 'C0ARCH0001', 'is_archived'], ['PRIV', 'C0PRIV0001', 'not_in_channel']] as const) {
        const alert = await alertOf(externalId);
        expect(alert.slackChannelId).toBe(FALLBACK);
        const post = posts.find((m) => m.ts === alert.slackTs);
        expect(JSON.stringify(post?.blocks)).toContain(`Posted here because <#${channel}> could not take it (${why}`);
        expect(t.fake.topLevel(channel)).toHaveLength(0);
        expect((await rowsOf(externalId)).every((r) => r.status === 'sent' && r.channelId === FALLBACK)).toBe(true);
      }
      const gone = await alertOf('GONE');
      expect(t.fake.threadReplies(FALLBACK, gone.slackTs ?? '')).toHaveLength(1);
      expect(t.logLines.filter((l) => l.includes('alert rerouted to the fallback channel'))).toHaveLength(3);
    });

    it('lets people claim a rerouted alert in the fallback channel by reaction', async () => {
      const gone = await alertOf('GONE');
      const res = await sendEvent(t.eventsUrl, {
        type: 'reaction_added', user: 'U0ALICE001', reaction: 'eyes', item: { type: 'message', channel: FALLBACK, ts: gone.slackTs },
        item_user: FAKE_BOT_USER_ID, event_ts: `${Date.now() / 1000}`,
      });
      expect(res.status).toBe(200);
      await waitUntil(async () => (await alertOf('GONE')).claimedBy === 'U0ALICE001');
      await deliverer().deliverDue();
      const update = t.fake.callsTo('chat.update').filter((c) => c.args.channel === FALLBACK && c.args.ts === gone.slackTs).at(-1);
      expect(JSON.stringify(update?.args.blocks)).toContain('Claimed by <@U0ALICE001>');
      expect(JSON.stringify(update?.args.blocks)).toContain('Posted here because <#C0GONE0001>');
    });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
