// Every /health flow through the real Bolt app: signed requests in, answers
// at the fake response_url and Web API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeComponents } from '../../src/scoring/component-codec.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DECLINING, HEALTHY, recomputeAt, seedAccounts } from '../support/seed.js';
import { sendEvent, sendInteraction, sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');
const CSM = 'U0CSM00001';
/** Worse than DECLINING: sentiment and payments collapsed too, so it scores lowest of all. */
const CRITICAL = { ...DECLINING, nps: -40, csat: 40, complaints_90d: 6, late_payments_90d: 5, order_value_trend_90d: -30 };
let responseCounter = 0;

interface Reply {
  text?: string;
  blocks?: { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: unknown }[] }[];
  response_type?: string;
}

describe.each(DATABASE_KINDS)('/health (%s)', (kind) => {
  let t: TestServer;
  let ids: Map<string, number>;

  async function health(text: string, user = CSM): Promise<Reply> {
    responseCounter += 1;
    const id = `r${responseCounter}`;
    const res = await sendSlashCommand(t.eventsUrl, { text, user_id: user, response_url: t.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3_000);
    const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === id));
    return reply.body as Reply;
  }
  const allText = (reply: Reply) => (reply.blocks ?? []).map((b) => b.text?.text ?? JSON.stringify(b.elements ?? '')).join('\n');

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
    ids = await seedAccounts(t.db, now, [
      { externalId: 'ACME-1', name: 'Acme Corp', domain: 'acme.com', owner: CSM, channel: 'C0ACME0001', metrics: DECLINING, renewalInDays: 40 },
      { externalId: 'ACME-2', name: 'Acme Logistics', domain: 'acmelog.com', metrics: HEALTHY },
      { externalId: 'GLOBEX', name: 'Globex', domain: 'globex.io', owner: 'U0OTHER001', metrics: CRITICAL },
      { externalId: 'INIT-7', name: 'Initech', domain: 'initech.com', owner: CSM, metrics: HEALTHY },
      { externalId: 'Mixed-Case-9', name: 'Umbrella Holdings', domain: 'umbrella.example', metrics: HEALTHY },
    ]);
    await recomputeAt(t.db, now);
    // Acme Corp has an open, unclaimed alert in its channel (as a recomputation would have raised).
    await t.db.prisma.alert.create({
      data: { accountId: ids.get('ACME-1') ?? 0, openKey: ids.get('ACME-1') ?? 0, state: 'open', triggers: [], reason: { baseline: null, changes: [] }, band: 'at_risk', score: 51, slackChannelId: 'C0ACME0001', slackTs: '1700000000.000100' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /health and /health help with usage', async () => {
    for (const text of ['', 'help']) {
      const reply = await health(text);
      expect(reply.response_type).toBe('ephemeral');
      expect(allText(reply)).toContain('/health sentiment ACCOUNT 1-5 REASON');
    }
  });

  it('shows the breakdown for an exact match, naming the weak measures, with share and claim buttons', async () => {
    const reply = await health('acme corp');
    const text = allText(reply);
    expect(text).toContain(':rotating_light: Open alert, not claimed yet');
    expect(text).toContain(ACTION_IDS.claimFromHealth);
    expect(reply.text).toMatch(/^Acme Corp: \d+\/100 \((At risk|Critical|Watch)\)$/);
    expect(text).toContain('What costs the most points');
    expect(text).toMatch(/Orders \(30 days\)\*: 3 orders \(poor 4, good 20, weight 14\) — \*−14\.9 pts\*/);
    expect(text).toContain('Logins (30 days)');
    expect(text).toContain('Suggested next steps');
    expect(text).toContain('renewal in 40 days');
    expect(text).toContain(ACTION_IDS.shareInChannel);
    expect((reply.blocks ?? []).length).toBeLessThanOrEqual(50);
  });

  it('finds accounts by domain, external id in any case, and part of the name', async () => {
    expect((await health('globex.io')).text).toMatch(/^Globex: /);
    expect((await health('init-7')).text).toMatch(/^Initech: /);
    expect((await health('initec')).text).toMatch(/^Initech: /);
    expect((await health('mixed-case-9')).text).toMatch(/^Umbrella Holdings: /);
    expect((await health('MIXED-case-9')).text).toMatch(/^Umbrella Holdings: /);
  });

  it('treats % and _ as characters, not wildcards', async () => {
    expect((await health('%')).text).toBe('No account matches "%"');
    expect((await health('_')).text).toBe('No account matches "_"');
    expect((await health('acme%')).text).toBe('No account matches "acme%"');
  });

  it('claims the follow-up from the /health reply: the claim is recorded and the reply redrawn to say who owns it', async () => {
    const reply = await health('acme corp');
    const claim = reply.blocks?.find((b) => b.type === 'actions')?.elements?.find((e) => e.action_id === ACTION_IDS.claimFromHealth);
    const alert = await t.db.prisma.alert.findFirstOrThrow({ where: { accountId: ids.get('ACME-1') } });
    expect(claim?.value).toBe(String(alert.id));
    const res = await sendInteraction(t.eventsUrl, {
      type: 'block_actions',
      user: { id: CSM },
      team: { id: 'T0FAKE0001' },
      channel: { id: 'C0TESTCHAN1' },
      response_url: t.fake.responseUrl('claim'),
      trigger_id: 't',
      actions: [{ type: 'button', action_id: claim?.action_id, value: claim?.value, block_id: 'b' }],
    });
    expect(res.status).toBe(200);
    const redrawn = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'claim'));
    expect(redrawn.body.replace_original).toBe(true);
    expect(JSON.stringify(redrawn.body.blocks)).toContain(`:eyes: Follow-up claimed by <@${CSM}> on 2026-11-20`);
    expect(JSON.stringify(redrawn.body.blocks)).not.toContain(ACTION_IDS.claimFromHealth);
    expect(await t.db.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ state: 'claimed', claimedBy: CSM });
    // The alert message in the account's channel is queued for a refresh saying who owns it.
    expect(await t.db.prisma.slackOutbox.count({ where: { alertId: alert.id, kind: 'update' } })).toBe(1);
  });

  it('offers a chooser when several accounts match, and answers the choice', async () => {
    const reply = await health('acme');
    expect(reply.text).toBe('2 accounts match "acme"');
    const buttons = reply.blocks?.find((b) => b.type === 'actions')?.elements ?? [];
    expect(buttons.map((b) => b.value)).toEqual([String(ids.get('ACME-1')), String(ids.get('ACME-2'))]);
    const before = t.fake.responses.length;
    const res = await sendInteraction(t.eventsUrl, {
      type: 'block_actions',
      user: { id: CSM },
      team: { id: 'T0FAKE0001' },
      channel: { id: 'C0TESTCHAN1' },
      response_url: t.fake.responseUrl('choose'),
      trigger_id: 't',
      actions: [{ type: 'button', action_id: buttons[1]?.action_id, value: buttons[1]?.value, block_id: 'b' }],
    });
    expect(res.status).toBe(200);
    const chosen = await t.fake.waitFor(() => t.fake.responses.slice(before).find((r) => r.id === 'choose'));
    expect((chosen.body as Reply).text).toMatch(/^Acme Logistics: /);
  });

  it('answers no match with near matches, never an error dump', async () => {
    const reply = await health('Globx');
    expect(reply.text).toBe('No account matches "Globx"');
    expect(allText(reply)).toContain('Did you mean *Globex*');
    const odd = await health(`'; DROP TABLE accounts; -- ${'é'.repeat(300)}`);
    expect(odd.text).toMatch(/^No account matches/);
    expect(await t.db.prisma.account.count()).toBe(5);
  });

  it('shares the breakdown visibly in the channel', async () => {
    const res = await sendInteraction(t.eventsUrl, {
      type: 'block_actions',
      user: { id: CSM },
      team: { id: 'T0FAKE0001' },
      channel: { id: 'C0SHARE001' },
      response_url: t.fake.responseUrl('share'),
      trigger_id: 't',
      actions: [{ type: 'button', action_id: ACTION_IDS.shareInChannel, value: String(ids.get('GLOBEX')), block_id: 'b' }],
    });
    expect(res.status).toBe(200);
    const post = await t.fake.waitFor(() => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0SHARE001'));
    expect(String(post.args.text)).toMatch(/^Globex: .* — shared by <@U0CSM00001>$/);
    expect(JSON.stringify(post.args.blocks)).not.toContain(ACTION_IDS.shareInChannel);
  });

  it('records CSM sentiment with reason and author, and refuses bad input with usage', async () => {
    const ok = await health('sentiment acme corp 2 budget freeze announced');
    expect(ok.text).toContain('*2/5* — “budget freeze announced”. It is in the score now');
    // Re-scored at once: the account's current snapshot carries the judgement.
    const current = await t.db.prisma.accountScore.findUniqueOrThrow({ where: { accountId: ids.get('ACME-1') ?? 0 }, include: { snapshot: true } });
    expect(decodeComponents(current.snapshot.components).find((c) => c.metricKey === 'csm_sentiment')).toMatchObject({ value: 2, stale: false });
    const stored = await t.db.prisma.metricObservation.findFirstOrThrow({ where: { metricKey: 'csm_sentiment', accountId: ids.get('ACME-1') } });
    expect(stored).toMatchObject({ value: 2, note: 'budget freeze announced', authorSlackUserId: CSM, source: 'slack' });
    expect(allText(await health('acme corp'))).toContain('CSM view: *2/5* “budget freeze announced” — <@U0CSM00001>');

    expect((await health('sentiment acme corp 7 great')).text).toContain('The score must be a whole number from 1 to 5 (got 7)');
    expect((await health('sentiment acme corp 3')).text).toContain('Say why');
    expect((await health('sentiment')).text).toContain('Name the account and give a score from 1 to 5');
    expect(await t.db.prisma.metricObservation.count({ where: { metricKey: 'csm_sentiment' } })).toBe(1);
  });

  it('shows an expired CSM sentiment as expired and not scored', async () => {
    // 40 days old: past the 30-day freshness window of csm_sentiment.
    await t.db.prisma.metricObservation.create({
      data: { accountId: ids.get('INIT-7') ?? 0, metricKey: 'csm_sentiment', value: 4, observedAt: new Date(now.getTime() - 40 * DAY), note: 'renewal talks going well', authorSlackUserId: 'U0OTHER001', source: 'slack' },
    });
    const text = allText(await health('initech'));
    expect(text).toContain('CSM view: *4/5* “renewal talks going well” — <@U0OTHER001>, 2026-10-11 (expired, not scored)');
    const fresh = allText(await health('acme corp'));
    expect(fresh).toContain('CSM view: *2/5* “budget freeze announced” — <@U0CSM00001>, 2026-11-20');
    expect(fresh).not.toContain('expired');
  });

  it('lists at-risk accounts with the caller\'s own first, and the caller\'s portfolio', async () => {
    // Lowest score first, except that the caller's own come first: Globex scores below Acme Corp,
    // so Acme Corp leads only because it is the caller's.
    const other = allText(await health('at-risk', 'U0NOBODY01'));
    expect(other.indexOf('Globex')).toBeLessThan(other.indexOf('Acme Corp'));
    const atRisk = allText(await health('at-risk'));
    expect(atRisk).toMatch(/your 1 first/);
    expect(atRisk.indexOf('Acme Corp')).toBeGreaterThan(-1);
    expect(atRisk.indexOf('Acme Corp')).toBeLessThan(atRisk.indexOf('Globex'));
    expect(atRisk).not.toContain('Initech');
    const mine = allText(await health('mine'));
    expect(mine).toContain('Acme Corp');
    expect(mine).toContain('Initech');
    expect(mine).not.toContain('Globex');
  });

  it('publishes App Home with the user\'s accounts and the at-risk list', async () => {
    const res = await sendEvent(t.eventsUrl, { type: 'app_home_opened', user: CSM, channel: 'D0HOME0001', tab: 'home', event_ts: '1.2' });
    expect(res.status).toBe(200);
    const publish = await t.fake.waitFor(() => t.fake.callsTo('views.publish').find((c) => c.args.user_id === CSM));
    const view = publish.args.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const json = JSON.stringify(view);
    expect(json).toContain('Your accounts* (2)');
    expect(json).toContain('Globex');
  });
});
