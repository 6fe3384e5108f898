// The admin modal's preview end to end: band changes, biggest movers and churn
// separation before → after, shown without blocking the click; and a preview
// followed by Save keeps the measures the admin added or removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPUTING_NOTE } from '../../src/slack/views/tuning-modal.js';
import { AdminModalDriver, viewText } from '../support/admin-modal-driver.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { HEALTHY, recomputeAt, seedAccounts, setMetrics } from '../support/seed.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T10:00:00Z');
const ADMIN = 'U0ADMIN001';
const LOW_ORDERS = { ...HEALTHY, orders_30d: 3 };
const LOW_USAGE = { ...HEALTHY, logins_30d: 25, feature_adoption_pct: 15 };

describe.each(DATABASE_KINDS)('/health admin preview (%s)', (kind) => {
  let t: TestServer;
  const modal = new AdminModalDriver(() => t);
  const current = async () =>
    (await t.db.prisma.healthModel.findUniqueOrThrow({ where: { key: 'default' }, include: { currentVersion: { include: { measures: { orderBy: { id: 'asc' } } } } } })).currentVersion;

  beforeAll(async () => {
    // Slack's own 3-second budget for acknowledging a submission (the default 500 ms is tight under load).
    t = await startTestServer(kind, { clock: () => now, env: { ADMIN_USER_IDS: ADMIN }, unhandledRequestTimeoutMillis: 3_000 });
    const ids = await seedAccounts(t.db, now, [
      { externalId: 'STEADY', name: 'Steady Inc', metrics: HEALTHY },
      { externalId: 'SLOWBUY', name: 'Slow Buyer Ltd', metrics: LOW_ORDERS },
      { externalId: 'GONE', name: 'Gone Co', metrics: {} },
    ]);
    // Gone churned 10 days ago; 60 days before, its usage had collapsed but it still ordered.
    await t.db.prisma.account.update({ where: { id: ids.get('GONE') }, data: { churnedOn: new Date(now.getTime() - 10 * DAY) } });
    await setMetrics(t.db, ids.get('GONE') ?? 0, LOW_USAGE, new Date(now.getTime() - 75 * DAY));
    await recomputeAt(t.db, now);
  });
  afterAll(async () => {
    await t.close();
  });

  it('acknowledges the click, shows "computing", then band changes, biggest movers and ROC AUC before → after', async () => {
    const opened = t.fake.callsTo('views.update').length;
    const view = await modal.open(ADMIN);
    // Let the modal's own churn figure arrive first, so the scripted reply below is the preview's.
    await t.fake.waitFor(() => t.fake.callsTo('views.update').length > opened);
    t.fake.script('views.update', { status: 200, body: { ok: true, view: { id: 'VPREVIEW01', hash: 'HPREVIEW02' } } });
    const from = t.fake.callsTo('views.update').length;
    const res = await modal.preview(view, 'VPREVIEW01', ADMIN, { 'm:orders_30d:weight': '60' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3_000);

    const computing = await modal.updateOf('VPREVIEW01', /Preview:\*/, from);
    expect(viewText(computing)).toContain(COMPUTING_NOTE);
    const ready = await modal.updateOf('VPREVIEW01', /\*Preview\* —/, from);
    const updates = t.fake.callsTo('views.update').slice(from);
    expect(updates.map((c) => c.args.hash)).toEqual(['hash-VPREVIEW01', 'HPREVIEW02']);

    const text = viewText(ready);
    // Orders at weight 60: Slow Buyer drops from healthy to watch; Steady is unmoved.
    expect(text).toContain('*Preview* — 1 of 2 accounts would change band.');
    expect(text).toContain('• Slow Buyer Ltd: 84/100 Healthy → 55/100 Watch');
    expect(text).not.toContain('• Steady Inc');
    // Gone (churned) scored below both retained accounts; with orders dominant it outscores Slow Buyer.
    expect(text).toContain('Churn separation (ROC AUC): 1.00 now → *0.50* with this change (1 churned, 2 retained).');
    expect(text).toContain('churn separation: ROC AUC 1.00 over 1 churned and 2 retained accounts');
    // The form now shows the candidate, and nothing was saved.
    expect(ready.blocks.find((b) => b.block_id === 'm:orders_30d:weight')?.element?.initial_value).toBe('60');
    expect((await current())?.version).toBe(1);
  });

  it('shows why a preview cannot run, beside the form', async () => {
    const view = await modal.open(ADMIN);
    const from = t.fake.callsTo('views.update').length;
    await modal.preview(view, 'VPREVBAD01', ADMIN, { 'm:orders_30d:weight': 'abc', 'cut:watchMin': '80' });
    const shown = await modal.updateOf('VPREVBAD01', /Cannot preview yet/, from);
    expect(viewText(shown)).toContain('Cannot preview yet:* “abc” is not a number; the watch cut-off must be below the healthy cut-off');
  });

  it('remove a measure → preview → save: the saved model lacks it', async () => {
    const view = await modal.open(ADMIN);
    const from = t.fake.callsTo('views.update').length;
    await modal.preview(view, 'VREMOVE001', ADMIN, {}, { remove_measures: ['nps'] });
    const rebuilt = await modal.updateOf('VREMOVE001', /\*Preview\* —/, from);
    expect(rebuilt.blocks.some((b) => b.block_id === 'm:nps:weight')).toBe(false);
    // Slack submits the rebuilt form: the remove selection is not there any more.
    const res = await modal.submit(rebuilt, ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const saved = await current();
    expect(saved?.version).toBe(2);
    expect(saved?.measures.map((m) => m.metricKey)).not.toContain('nps');
    expect(saved?.measures).toHaveLength(11);
  });

  it('add a measure → preview → save: it is there with the values typed after the preview', async () => {
    const view = await modal.open(ADMIN);
    const from = t.fake.callsTo('views.update').length;
    await modal.preview(view, 'VADD000001', ADMIN, {}, { add_measures: ['nps'] });
    const rebuilt = await modal.updateOf('VADD000001', /\*Preview\* —/, from);
    expect(rebuilt.blocks.find((b) => b.block_id === 'm:nps:weight')?.element?.initial_value).toBe('5');
    const res = await modal.submit(rebuilt, ADMIN, { 'm:nps:weight': '7', 'm:nps:good': '40' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const saved = await current();
    expect(saved?.version).toBe(3);
    expect(saved?.measures.find((m) => m.metricKey === 'nps')).toMatchObject({ weight: 7, good: 40, poor: -20 });
    expect(saved?.measures).toHaveLength(12);
  });
});
