// "Suggest from outcomes" end to end through the real Bolt app and the fake
// Slack: the view is pushed at once and filled in by views.update; Shadow
// starts a 30-day shadow whose score admins (only) see in /health; Apply saves
// an audited version and recomputes; a stale or forged decision changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActiveModels } from '../../src/models/model-store.js';
import { compareShadows, describeShadowComparison } from '../../src/shadow/compare-shadow.js';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { REFUSAL } from '../../src/slack/listeners/tuning-shared.js';
import { AdminModalDriver, viewText, type ModalView } from '../support/admin-modal-driver.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { seedOutcomePortfolio } from '../support/seed-outcomes.js';
import { HEALTHY, recomputeAt, seedAccounts } from '../support/seed.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const now = new Date('2026-11-20T10:00:00Z');
const ADMIN = 'U0ADMIN001';
const CSM = 'U0CSM00009';

describe.each(DATABASE_KINDS)('/health admin → Suggest from outcomes (%s)', (kind) => {
  let t: TestServer;
  const modal = new AdminModalDriver(() => t);
  let ready: ModalView;
  let readyId: string;

  /** Presses "Suggest from outcomes"; returns the pushed view's id and the filled-in view. */
  const suggest = async (user: string) => {
    const admin = await modal.open(ADMIN);
    const pushesBefore = t.fake.callsTo('views.push').length;
    expect((await modal.press(admin, 'V0MODAL001', user, ACTION_IDS.tuningSuggest, 'default')).status).toBe(200);
    const push = await t.fake.waitFor(() => t.fake.callsTo('views.push')[pushesBefore]);
    return { push };
  };

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now, env: { ADMIN_USER_IDS: ADMIN } });
    t.fake.users.set(CSM, { id: CSM });
    await seedOutcomePortfolio(t.db, now, { accounts: 160, seed: 11 });
    await seedAccounts(t.db, now, [{ externalId: 'ACME', name: 'Acme Corp', metrics: HEALTHY }]);
    await recomputeAt(t.db, now);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('pushes a view at once and fills in the evidence in plain words by views.update', async () => {
    const updatesBefore = t.fake.callsTo('views.update').length;
    const { push } = await suggest(ADMIN);
    expect(JSON.stringify(push.args.view)).toContain('Learning weights for');
    const filled = await t.fake.waitFor(() => t.fake.callsTo('views.update').slice(updatesBefore).find((c) => /learned from/.test(JSON.stringify(c.args.view))));
    readyId = String(filled.args.view_id);
    ready = filled.args.view as ModalView;
    const text = viewText(ready);
    expect(text).toMatch(/learned from \*\d+ churned\* and \*\d+ renewed\* renewals on 160 accounts, looking at each account as it stood \*90 days before\*/);
    expect(text).toMatch(/Confidence: \*(medium|high)\*/);
    expect(text).toMatch(/today's weights: \*0\.\d\d\* \(likely between 0\.\d\d and 0\.\d\d\)/);
    expect(text).toMatch(/suggested weights: \*0\.\d\d\*/);
    expect(text).toMatch(/\*(likely better|not proven)\*/);
    expect(text).toMatch(/Of the accounts that churned, \*\d+%\* were at risk or critical 90 days before/);
    expect(text).toMatch(/Logins \(30 days\): 12 → \*\d+\*/);
    expect(text).toContain('Days to renewal: 4 → *4* — set by the calendar, so not learned');
    expect(text).toContain('Apply as new version');
    expect(text).toContain('Shadow for 30 days');
    expect(text).toContain('Dismiss');
  }, 60_000);

  it('a non-admin pressing Apply is refused and nothing is saved', async () => {
    expect((await modal.press(ready, readyId, CSM, ACTION_IDS.suggestApply, 'default')).status).toBe(200);
    await modal.updateOf(readyId, new RegExp(REFUSAL.slice(0, 30)));
    expect((await loadActiveModels(t.db.prisma)).byKey.get('default')?.version).toBe(1);
  });

  it('Shadow scores every account with the suggested weights; only admins see it in /health', async () => {
    const from = t.fake.callsTo('views.update').length;
    expect((await modal.press(ready, readyId, ADMIN, ACTION_IDS.suggestShadow, 'default')).status).toBe(200);
    await modal.updateOf(readyId, /now score every account beside \*Default\* until 2026-12-20/, from);
    await t.fake.waitFor(() => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN && String(c.args.text).startsWith('Started a 30-day shadow')));
    const shadow = await t.db.prisma.shadowModel.findFirstOrThrow();
    expect(shadow.createdBy).toBe(ADMIN);
    const acme = await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME' } });
    const score = await t.db.prisma.shadowScore.findUniqueOrThrow({ where: { shadowId_accountId: { shadowId: shadow.id, accountId: acme.id } } });
    expect(score.score).not.toBeNull();
    expect((await loadActiveModels(t.db.prisma)).byKey.get('default')?.version).toBe(1);

    const asAdmin = await modal.command('ACME', ADMIN);
    expect(JSON.stringify(await modal.reply(asAdmin.id))).toMatch(/:eyes: \*Shadow\* \(suggested weights for default, until 2026-12-20; admins only\): \d+/);
    const asCsm = await modal.command('ACME', CSM);
    expect(JSON.stringify(await modal.reply(asCsm.id))).not.toContain('Shadow');

    const [comparison] = await compareShadows(t.db.prisma, 'default', now);
    expect(comparison && describeShadowComparison(comparison, now)).toBe(`  shadow #${shadow.id} (started 2026-11-20, running until 2026-12-20): no outcomes since it started yet`);
  }, 60_000);

  it('Apply saves an audited version with the suggested weights and recomputes', async () => {
    const from = t.fake.callsTo('views.update').length;
    expect((await modal.press(ready, readyId, ADMIN, ACTION_IDS.suggestApply, 'default')).status).toBe(200);
    await modal.updateOf(readyId, /Saved \*Default\* v2 with the suggested weights/, from);
    const summary = await t.fake.waitFor(() => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN && String(c.args.text).startsWith('Saved *Default* v2')));
    expect(String(summary.args.text)).toMatch(/Scores recomputed for \d+ accounts\./);
    const model = (await loadActiveModels(t.db.prisma)).byKey.get('default');
    expect(model?.version).toBe(2);
    const shown = JSON.parse(ready.private_metadata) as { weights: Record<string, number> };
    expect(Object.fromEntries(model?.measures.map((m) => [m.metricKey, m.weight]) ?? [])).toEqual(Object.fromEntries(Object.entries(shown.weights).filter(([, w]) => w > 0)));
    const audit = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'model.save' }, orderBy: { id: 'desc' } });
    expect(audit.actor).toBe(ADMIN);
  }, 60_000);

  it('pressing Apply again on the old view saves nothing and shows the suggestion as it stands now', async () => {
    const from = t.fake.callsTo('views.update').length;
    await modal.press(ready, readyId, ADMIN, ACTION_IDS.suggestApply, 'default');
    await modal.updateOf(readyId, /changed since this suggestion was shown, so nothing was saved/, from);
    expect((await loadActiveModels(t.db.prisma)).byKey.get('default')?.version).toBe(2);
  }, 60_000);

  it('Dismiss changes nothing and is kept in the audit log', async () => {
    const from = t.fake.callsTo('views.update').length;
    await modal.press(ready, readyId, ADMIN, ACTION_IDS.suggestDismiss, 'default');
    await modal.updateOf(readyId, /Dismissed: nothing was changed/, from);
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'model.suggestion.dismiss', actor: ADMIN } })).toBe(1);
    expect((await loadActiveModels(t.db.prisma)).byKey.get('default')?.version).toBe(2);
  });

  it('a forged decision without valid metadata changes nothing', async () => {
    const from = t.fake.callsTo('views.update').length;
    await modal.press({ ...ready, private_metadata: '{"modelKey":"default","baseVersion":"x"}' }, 'VFORGED001', ADMIN, ACTION_IDS.suggestApply, 'default');
    await modal.updateOf('VFORGED001', /out of date/, from);
    expect((await loadActiveModels(t.db.prisma)).byKey.get('default')?.version).toBe(2);
  });
});
