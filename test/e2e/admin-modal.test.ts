// /health admin end to end: who may open it, how fast it opens, inline errors
// (all at once), saving a new version that the next /health uses, forged
// submissions refused, and an admin check that survives a slow Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_IDS } from '../../src/slack/ids.js';
import { UNVERIFIED } from '../../src/slack/listeners/tuning-shared.js';
import { COMPUTING_NOTE } from '../../src/slack/views/tuning-modal.js';
import { AdminModalDriver, viewText, type ModalView } from '../support/admin-modal-driver.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DECLINING, HEALTHY, recomputeAt, seedAccounts, setMetrics } from '../support/seed.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');
const ADMIN = 'U0ADMIN001';
const WORKSPACE_ADMIN = 'U0WSADMIN1';
const SLOW_ADMIN = 'U0WSADMIN2';
const CSM = 'U0CSM00009';

describe.each(DATABASE_KINDS)('/health admin (%s)', (kind) => {
  let t: TestServer;
  const modal = new AdminModalDriver(() => t);
  const versions = () => t.db.prisma.healthModelVersion.count({ where: { model: { key: 'default' } } });
  const breakdown = async () => {
    const { id } = await modal.command('acme', ADMIN);
    const reply = await modal.reply(id);
    return { text: String(reply.text), blocks: JSON.stringify(reply.blocks) };
  };

  beforeAll(async () => {
    // Slack's own 3-second budget, so the admin check's deadline is what is tested.
    t = await startTestServer(kind, { clock: () => now, env: { ADMIN_USER_IDS: ADMIN }, unhandledRequestTimeoutMillis: 3_000 });
    t.fake.users.set(WORKSPACE_ADMIN, { id: WORKSPACE_ADMIN, is_admin: true });
    t.fake.users.set(SLOW_ADMIN, { id: SLOW_ADMIN, is_owner: true });
    t.fake.users.set(CSM, { id: CSM });
    const ids = await seedAccounts(t.db, now, [
      { externalId: 'ACME', name: 'Acme Corp', metrics: DECLINING },
      { externalId: 'BETA', name: 'Beta Works', metrics: HEALTHY },
      { externalId: 'LOST', name: 'Lost Ltd', metrics: {} },
    ]);
    // Lost churned 10 days ago; 60 days before that it looked like Acme does now.
    await t.db.prisma.account.update({ where: { id: ids.get('LOST') }, data: { churnedOn: new Date(now.getTime() - 10 * DAY) } });
    await setMetrics(t.db, ids.get('LOST') ?? 0, DECLINING, new Date(now.getTime() - 75 * DAY));
    await recomputeAt(t.db, now);
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens the modal for ADMIN_USER_IDS and workspace admins with the trigger id, refuses others politely', async () => {
    const view = await modal.open(ADMIN);
    expect(view.callback_id).toBe(CALLBACK_IDS.adminModel);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.blocks.some((b) => b.block_id === 'm:orders_30d:weight')).toBe(true);
    await modal.open(WORKSPACE_ADMIN);

    const opens = t.fake.callsTo('views.open').length;
    const { id } = await modal.command('admin', CSM);
    expect(String((await modal.reply(id)).text)).toContain('Only account-health admins can change the model');
    expect(t.fake.callsTo('views.open').length).toBe(opens);
  });

  it('opens at once with the churn separation marked as computing, then fills it in with views.update on that view id and hash', async () => {
    t.fake.script('views.open', { status: 200, body: { ok: true, view: { id: 'VOPEN00001', hash: 'HOPEN00001' } } });
    const callsBefore = t.fake.calls.length;
    const started = Date.now();
    const opened = await modal.open(ADMIN);
    const openCall = t.fake.calls.slice(callsBefore).find((c) => c.method === 'views.open');
    expect(viewText(opened)).toContain(`churn separation: ${COMPUTING_NOTE}`);
    expect(viewText(opened)).not.toContain('ROC AUC');
    expect((openCall?.at ?? Infinity) - started).toBeLessThan(1_500);

    const filled = await modal.updateOf('VOPEN00001', /ROC AUC/);
    const updateCall = t.fake.calls.slice(callsBefore).find((c) => c.method === 'views.update' && c.args.view_id === 'VOPEN00001');
    expect(updateCall?.args.hash).toBe('HOPEN00001');
    expect(t.fake.calls.indexOf(openCall!)).toBeLessThan(t.fake.calls.indexOf(updateCall!));
    // Lost (churned) scored like Acme 60 days before churning: a tie with Acme, below Beta.
    expect(viewText(filled)).toContain('ROC AUC 0.75 over 1 churned and 2 retained accounts');
    expect(filled.private_metadata).toBe(opened.private_metadata);
  });

  it.runIf(kind === 'postgres')('opens the modal even while the evaluation cannot run at all (accounts locked), and fills it in once it can', async () => {
    let trigger = '';
    const updatesBefore = t.fake.callsTo('views.update').length;
    await t.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE');
      ({ trigger } = await modal.command('admin', ADMIN));
      await t.fake.waitFor(() => t.fake.callsTo('views.open').find((c) => c.args.trigger_id === trigger));
      await new Promise((r) => setTimeout(r, 300));
      expect(t.fake.callsTo('views.update').length).toBe(updatesBefore);
    }, { timeout: 20_000 });
    await t.fake.waitFor(() => t.fake.callsTo('views.update').slice(updatesBefore).find((c) => JSON.stringify(c.args.view).includes('ROC AUC 0.75')));
  });

  it('answers invalid values with every inline error at once and saves nothing', async () => {
    const view = await modal.open(ADMIN);
    const res = await modal.submit(view, ADMIN, { 'm:orders_30d:weight': '-3', 'm:nps:good': 'lots', 'cut:watchMin': '90' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: {
        'm:orders_30d:weight': 'weight must be 0 or more',
        'm:nps:good': '“lots” is not a number',
        'cut:watchMin': 'the watch cut-off must be below the healthy cut-off',
      },
    });
    const mixed = await modal.submit(view, ADMIN, { 'm:nps:weight': 'x', 'm:csat:good': '70', 'm:csat:poor': '70', 'cut:atRiskMin': '60' });
    expect(mixed.json()).toEqual({
      response_action: 'errors',
      errors: { 'm:nps:weight': '“x” is not a number', 'm:csat:good': 'good and poor thresholds must differ', 'cut:atRiskMin': 'the at-risk cut-off must be below the watch cut-off' },
    });
    const zero = Object.fromEntries(view.blocks.filter((b) => b.block_id?.endsWith(':weight')).map((b) => [b.block_id ?? '', '0']));
    expect((await modal.submit(view, ADMIN, zero)).json()).toEqual({ response_action: 'errors', errors: { 'm:orders_30d:weight': 'all weights are zero: at least one must be above 0' } });
    expect(await versions()).toBe(1);
  });

  it('refuses a forged submission from a non-admin and changes nothing', async () => {
    const view = await modal.open(ADMIN);
    const res = await modal.submit(view, CSM, { 'm:orders_30d:weight': '90' });
    expect(res.json()).toEqual({ response_action: 'errors', errors: { note: expect.stringContaining('Only account-health admins') } });
    expect(await versions()).toBe(1);
    expect(await t.db.prisma.auditEntry.count()).toBe(0);
  });

  it('answers within a second when users.info hangs, says why, and does not remember the failure', async () => {
    const view = await modal.open(ADMIN);
    t.fake.script('users.info', { hang: true });
    const slow = await modal.submit(view, SLOW_ADMIN, { 'm:orders_30d:weight': '-1' });
    expect(slow.ms).toBeLessThan(1_800);
    expect(slow.json()).toEqual({ response_action: 'errors', errors: { note: UNVERIFIED } });
    // Slack answers again: the same owner is an admin at once (no cached "not admin").
    const retry = await modal.submit(view, SLOW_ADMIN, { 'm:orders_30d:weight': '-1' });
    expect(retry.json()).toEqual({ response_action: 'errors', errors: { 'm:orders_30d:weight': 'weight must be 0 or more' } });
    expect(await versions()).toBe(1);
  });

  it('saves a valid change as a new version with an audit entry, recomputes, tells the admin, and /health shows the new points and score', async () => {
    const before = await breakdown();
    expect(before.text).toBe('Acme Corp: 51/100 (At risk)');
    expect(before.blocks).toContain('3 orders (poor 4, good 20, weight 14) — *−15.6 pts*');

    const view = await modal.open(ADMIN);
    const res = await modal.submit(view, ADMIN, { 'm:orders_30d:weight': '60', note: 'orders matter most' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const summary = await t.fake.waitFor(() => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN));
    expect(String(summary.args.text)).toBe('Saved *Default* v2 (“orders matter most”). Scores recomputed for 2 accounts.');
    const audit = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'model.save' } });
    expect(audit).toMatchObject({ actor: ADMIN, entityId: 'default' });
    expect(audit.before).toMatchObject({ version: 1, measures: expect.arrayContaining([expect.objectContaining({ metricKey: 'orders_30d', weight: 14 })]) });
    expect(audit.after).toMatchObject({ version: 2, measures: expect.arrayContaining([expect.objectContaining({ metricKey: 'orders_30d', weight: 60 })]) });

    // Orders now carry 60 of 136 fresh weight: they cost 44.1 points and Acme falls a band.
    const after = await breakdown();
    expect(after.text).toBe('Acme Corp: 33/100 (Critical)');
    expect(after.blocks).toContain('3 orders (poor 4, good 20, weight 60) — *−44.1 pts*');
    expect(after.blocks).toContain('Default model v2');
  });

  it('refuses a save built on a version that changed meanwhile', async () => {
    const stale: ModalView = await modal.open(ADMIN);
    const meta = JSON.parse(stale.private_metadata) as { baseVersion: number };
    const res = await modal.submit({ ...stale, private_metadata: JSON.stringify({ ...meta, baseVersion: 1 }) }, ADMIN, { 'm:orders_30d:weight': '30' });
    expect(res.json()).toEqual({ response_action: 'errors', errors: { note: expect.stringContaining('the model changed meanwhile') } });
    const forged = await modal.submit({ ...stale, private_metadata: '{"modelKey":"default"}' }, ADMIN, {});
    expect(forged.json()).toEqual({ response_action: 'errors', errors: { note: expect.stringContaining('out of date') } });
    expect(await versions()).toBe(2);
  });
});
