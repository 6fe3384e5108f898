// The admin modal's history end to end: versions listed, an earlier one
// restored as a new version (and scores recomputed), and every failure —
// unknown version, non-admin — told to the person who pressed Restore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { REFUSAL } from '../../src/slack/listeners/tuning-shared.js';
import { saveModelVersion, loadActiveModels, stripVersion } from '../../src/models/model-store.js';
import { AdminModalDriver, type ModalView } from '../support/admin-modal-driver.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DECLINING, recomputeAt, seedAccounts } from '../support/seed.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const now = new Date('2026-11-20T10:00:00Z');
const ADMIN = 'U0ADMIN001';
const CSM = 'U0CSM00009';
const historyView: ModalView = { callback_id: CALLBACK_IDS.adminHistory, private_metadata: '', blocks: [] };

describe.each(DATABASE_KINDS)('/health admin history (%s)', (kind) => {
  let t: TestServer;
  const modal = new AdminModalDriver(() => t);
  const versions = () => t.db.prisma.healthModelVersion.count({ where: { model: { key: 'default' } } });
  const restore = (user: string, value: string, viewId: string) => modal.press(historyView, viewId, user, ACTION_IDS.tuningRestore, value);

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now, env: { ADMIN_USER_IDS: ADMIN } });
    t.fake.users.set(CSM, { id: CSM });
    await seedAccounts(t.db, now, [{ externalId: 'ACME', name: 'Acme Corp', metrics: DECLINING }]);
    await recomputeAt(t.db, now);
    const current = (await loadActiveModels(t.db.prisma)).forSegment(null);
    const heavier = { ...stripVersion(current), measures: current.measures.map((m) => (m.metricKey === 'orders_30d' ? { ...m, weight: 60 } : m)) };
    await saveModelVersion(t.db.prisma, { definition: heavier, actor: ADMIN, note: 'orders matter most' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists history with the current version marked', async () => {
    const view = await modal.open(ADMIN);
    const res = await modal.press(view, 'V0MODAL001', ADMIN, ACTION_IDS.tuningHistory, 'default');
    expect(res.status).toBe(200);
    const pushed = await t.fake.waitFor(() => t.fake.callsTo('views.push').at(-1));
    const text = JSON.stringify(pushed.args.view);
    expect(text).toContain('*v2* (current)');
    expect(text).toContain('orders matter most');
    expect(text).toContain('default:1');
  });

  it('restores an earlier version as a new one, recomputes with it and tells the admin', async () => {
    const res = await restore(ADMIN, 'default:1', 'VHIST00001');
    expect(res.status).toBe(200);
    await modal.updateOf('VHIST00001', /Restored v1 as v3/);
    const current = await t.db.prisma.healthModel.findUniqueOrThrow({ where: { key: 'default' }, include: { currentVersion: { include: { measures: true } } } });
    expect(current.currentVersion?.version).toBe(3);
    expect(current.currentVersion?.measures.find((m) => m.metricKey === 'orders_30d')?.weight).toBe(14);
    const summary = await t.fake.waitFor(() => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN && String(c.args.text).startsWith('Restored')));
    expect(String(summary.args.text)).toBe('Restored *Default* v1 as v3. Scores recomputed for 1 accounts.');
    const latest = await t.db.prisma.scoreSnapshot.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { modelVersion: true } });
    expect(latest.modelVersion.version).toBe(3);
  });

  it('tells the admin when the version to restore does not exist, and changes nothing', async () => {
    await restore(ADMIN, 'default:99', 'VHIST00002');
    const shown = await modal.updateOf('VHIST00002', /Nothing was restored/);
    expect(JSON.stringify(shown.blocks)).toContain('Nothing was restored: model \\"default\\" has no version 99 (its versions are 1 to');
    await restore(ADMIN, 'nosuchmodel:1', 'VHIST00003');
    await modal.updateOf('VHIST00003', /Nothing was restored: unknown model .*nosuchmodel/);
    expect(await versions()).toBe(3);
  });

  it('refuses a restore from a non-admin, visibly, and changes nothing', async () => {
    await restore(CSM, 'default:2', 'VHIST00004');
    const refused = await modal.updateOf('VHIST00004', /Only account-health admins/);
    expect(JSON.stringify(refused.blocks)).toContain(REFUSAL.slice(0, 40));
    expect(JSON.stringify(refused.blocks)).not.toContain(ACTION_IDS.tuningRestore);
    expect(await versions()).toBe(3);
  });
});
