// /health admin end to end: who may open it, inline errors, saving a new
// version that the next /health uses, forged submissions refused, restore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DECLINING, recomputeAt, seedAccounts } from '../support/seed.js';
import { sendInteraction, sendSlashCommand, type SignedResponse } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const now = new Date('2026-11-20T10:00:00Z');
const ADMIN = 'U0ADMIN001';
const WORKSPACE_ADMIN = 'U0WSADMIN1';
const CSM = 'U0CSM00009';

interface ModalView {
  callback_id: string;
  private_metadata: string;
  blocks: { type: string; block_id?: string; element?: { initial_value?: string } }[];
}

describe.each(DATABASE_KINDS)('/health admin (%s)', (kind) => {
  let t: TestServer;
  let n = 0;
  const command = async (text: string, user: string) => {
    n += 1;
    const id = `adm${n}`;
    const res = await sendSlashCommand(t.eventsUrl, { text, user_id: user, response_url: t.fake.responseUrl(id), trigger_id: `trigger-${n}` });
    expect(res.status).toBe(200);
    return id;
  };
  /** The values a person would submit: every input at its initial value, with `changes` applied. */
  const stateOf = (view: ModalView, changes: Record<string, string>) => {
    const values: Record<string, Record<string, { type: string; value?: string; selected_options?: { value: string }[] }>> = {};
    for (const block of view.blocks) {
      if (block.type !== 'input' || !block.block_id) continue;
      if (block.element?.initial_value !== undefined || block.block_id in changes) {
        values[block.block_id] = { value: { type: 'plain_text_input', value: changes[block.block_id] ?? block.element?.initial_value ?? '' } };
      }
    }
    return values;
  };
  const submit = (view: ModalView, user: string, changes: Record<string, string>): Promise<SignedResponse> =>
    sendInteraction(t.eventsUrl, {
      type: 'view_submission',
      user: { id: user },
      team: { id: 'T0FAKE0001' },
      trigger_id: 'tv',
      view: { id: 'V0MODAL001', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: 'h', state: { values: stateOf(view, changes) }, type: 'modal' },
    });
  const openedView = async (user: string): Promise<ModalView> => {
    const before = t.fake.callsTo('views.open').length;
    await command('admin', user);
    const call = await t.fake.waitFor(() => t.fake.callsTo('views.open')[before]);
    return call.args.view as ModalView;
  };

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now, env: { ADMIN_USER_IDS: ADMIN } });
    t.fake.users.set(WORKSPACE_ADMIN, { id: WORKSPACE_ADMIN, is_admin: true });
    t.fake.users.set(CSM, { id: CSM });
    await seedAccounts(t.db, now, [{ externalId: 'ACME', name: 'Acme Corp', metrics: DECLINING }]);
    await recomputeAt(t.db, now);
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens the modal for ADMIN_USER_IDS and workspace admins with the trigger id, refuses others politely', async () => {
    const view = await openedView(ADMIN);
    expect(view.callback_id).toBe(CALLBACK_IDS.adminModel);
    expect(t.fake.callsTo('views.open').at(-1)?.args.trigger_id).toMatch(/^trigger-\d+$/);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.blocks.some((b) => b.block_id === 'm:orders_30d:weight')).toBe(true);
    await openedView(WORKSPACE_ADMIN);

    const opens = t.fake.callsTo('views.open').length;
    const id = await command('admin', CSM);
    const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === id));
    expect(String(reply.body.text)).toContain('Only account-health admins can change the model');
    expect(t.fake.callsTo('views.open').length).toBe(opens);
  });

  it('answers invalid values with inline errors per field and saves nothing', async () => {
    const view = await openedView(ADMIN);
    const res = await submit(view, ADMIN, { 'm:orders_30d:weight': '-3', 'm:nps:good': 'lots', 'cut:watchMin': '90' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { 'm:orders_30d:weight': expect.any(String), 'm:nps:good': '“lots” is not a number' },
    });
    const valid = await submit(view, ADMIN, { 'cut:watchMin': '90' });
    expect(valid.json()).toEqual({ response_action: 'errors', errors: { 'cut:watchMin': 'the watch cut-off must be below the healthy cut-off' } });
    const zero = Object.fromEntries(view.blocks.filter((b) => b.block_id?.endsWith(':weight')).map((b) => [b.block_id ?? '', '0']));
    expect((await submit(view, ADMIN, zero)).json()).toEqual({ response_action: 'errors', errors: { 'm:orders_30d:weight': 'all weights are zero: at least one must be above 0' } });
    const equal = await submit(view, ADMIN, { 'm:csat:good': '70', 'm:csat:poor': '70' });
    expect(equal.json()).toEqual({ response_action: 'errors', errors: { 'm:csat:good': 'good and poor thresholds must differ' } });
    expect(await t.db.prisma.healthModelVersion.count({ where: { model: { key: 'default' } } })).toBe(1);
  });

  it('refuses a forged submission from a non-admin and changes nothing', async () => {
    const view = await openedView(ADMIN);
    const res = await submit(view, CSM, { 'm:orders_30d:weight': '90' });
    expect(res.json()).toMatchObject({ response_action: 'errors' });
    expect(await t.db.prisma.healthModelVersion.count({ where: { model: { key: 'default' } } })).toBe(1);
    expect(await t.db.prisma.auditEntry.count()).toBe(0);
  });

  it('saves a valid change as a new version with an audit entry, recomputes, tells the admin, and /health shows it', async () => {
    const view = await openedView(ADMIN);
    const res = await submit(view, ADMIN, { 'm:orders_30d:weight': '60', note: 'orders matter most' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const summary = await t.fake.waitFor(() => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN));
    expect(String(summary.args.text)).toMatch(/^Saved \*Default\* v2 \(“orders matter most”\)\. Scores recomputed for 1 accounts\.$/);
    const audit = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'model.save' } });
    expect(audit).toMatchObject({ actor: ADMIN, entityId: 'default' });
    expect(audit.before).toMatchObject({ version: 1, measures: expect.arrayContaining([expect.objectContaining({ metricKey: 'orders_30d', weight: 14 })]) });
    expect(audit.after).toMatchObject({ version: 2, measures: expect.arrayContaining([expect.objectContaining({ metricKey: 'orders_30d', weight: 60 })]) });

    const id = await command('acme', ADMIN);
    const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === id));
    expect(JSON.stringify(reply.body.blocks)).toContain('weight 60');
    expect(JSON.stringify(reply.body.blocks)).toContain('Default model v2');
  });

  it('lists history and restores an earlier version as a new one', async () => {
    const view = await openedView(ADMIN);
    const push = await sendInteraction(t.eventsUrl, {
      type: 'block_actions', user: { id: ADMIN }, team: { id: 'T0FAKE0001' }, trigger_id: 'th',
      view: { id: 'V0MODAL001', hash: 'h', private_metadata: view.private_metadata, callback_id: view.callback_id, state: { values: {} } },
      actions: [{ type: 'button', action_id: ACTION_IDS.tuningHistory, value: 'default', block_id: 'pick_model' }],
    });
    expect(push.status).toBe(200);
    const pushed = await t.fake.waitFor(() => t.fake.callsTo('views.push').at(-1));
    expect(JSON.stringify(pushed.args.view)).toContain('*v2* (current)');
    const restore = await sendInteraction(t.eventsUrl, {
      type: 'block_actions', user: { id: ADMIN }, team: { id: 'T0FAKE0001' }, trigger_id: 'tr',
      view: { id: 'V0HIST0001', hash: 'h', private_metadata: '', callback_id: CALLBACK_IDS.adminHistory, state: { values: {} } },
      actions: [{ type: 'button', action_id: ACTION_IDS.tuningRestore, value: 'default:1', block_id: 'b' }],
    });
    expect(restore.status).toBe(200);
    await t.fake.waitFor(() => t.fake.callsTo('views.update').find((c) => JSON.stringify(c.args.view).includes('Restored v1 as v3')));
    const current = await t.db.prisma.healthModel.findUniqueOrThrow({ where: { key: 'default' }, include: { currentVersion: { include: { measures: true } } } });
    expect(current.currentVersion?.version).toBe(3);
    expect(current.currentVersion?.measures.find((m) => m.metricKey === 'orders_30d')?.weight).toBe(14);
  });

  it('refuses a restore from a non-admin', async () => {
    await sendInteraction(t.eventsUrl, {
      type: 'block_actions', user: { id: CSM }, team: { id: 'T0FAKE0001' }, trigger_id: 'tr',
      view: { id: 'V0HIST0001', hash: 'h', private_metadata: '', callback_id: CALLBACK_IDS.adminHistory, state: { values: {} } },
      actions: [{ type: 'button', action_id: ACTION_IDS.tuningRestore, value: 'default:2', block_id: 'b' }],
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await t.db.prisma.healthModelVersion.count({ where: { model: { key: 'default' } } })).toBe(3);
  });
});
