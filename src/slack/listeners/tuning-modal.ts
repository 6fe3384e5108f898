// /health admin: admins tune the model in a modal. Authorisation is checked
// when the modal opens AND on every action and submission, so a forged
// view_submission from a non-admin changes nothing.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import { runRecomputeAndAlerts } from '../../alerts/recompute-and-alert.js';
import { InvalidModelError, listModelVersions, loadActiveModels, loadMetricDefinitions, restoreModelVersion, saveModelVersion } from '../../models/model-store.js';
import { describeEvaluation, evaluateModel } from '../../tuning/evaluate-model.js';
import { AdminCheck } from '../../tuning/is-admin.js';
import { previewModelChange } from '../../tuning/preview-model-change.js';
import { readTuningForm, tuningMetadataSchema, viewStateSchema } from '../../tuning/read-tuning-form.js';
import type { SubcommandTable } from '../health-subcommands.js';
import { ACTION_IDS, CALLBACK_IDS } from '../ids.js';
import { historyModal, tuningModal, type TuningModalData } from '../views/tuning-modal.js';
import type { ModelDefinition } from '../../scoring/types.js';
import { textMessage } from '../views/health-views.js';

const REFUSAL = 'Only account-health admins can change the model. Ask a workspace admin, or someone listed in ADMIN_USER_IDS.';
const modelKeyValue = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);
const restoreValue = z.string().regex(/^([a-z][a-z0-9-]{0,39}):(\d{1,6})$/).transform((v) => {
  const [key = '', version = '0'] = v.split(':');
  return { key, version: Number(version) };
});

export function registerTuningModal(app: App, deps: AppDeps, subcommands: SubcommandTable): void {
  const admins = new AdminCheck(deps.config.ADMIN_USER_IDS, deps.slack);
  const prisma = deps.db.prisma;

  /** `shown` keeps what the admin typed (after a preview) instead of the stored values. */
  async function buildModal(modelKey: string, extra: { preview?: TuningModalData['preview']; shown?: ModelDefinition } = {}) {
    const models = await loadActiveModels(prisma);
    const stored = models.byKey.get(modelKey) ?? models.forSegment(null);
    const model = extra.shown ? { ...stored, ...extra.shown } : stored;
    const catalogue = [...(await loadMetricDefinitions(prisma)).values()];
    const evaluation = describeEvaluation(await evaluateModel(prisma, model.key, null, deps.clock()));
    return tuningModal({
      models: [...models.byKey.values()].map((m) => ({ key: m.key, name: m.name, version: m.version })),
      model,
      catalogue,
      evaluation,
      ...(extra.preview ? { preview: extra.preview } : {}),
    });
  }

  async function recomputeAfterChange(actor: string, summary: string) {
    const outcome = await runRecomputeAndAlerts(deps, { trigger: 'admin' }).catch((error: unknown) => {
      deps.logger.error('recompute after a model change failed', { error });
      return null;
    });
    const scored = outcome?.ran ? ` Scores recomputed for ${outcome.result.accountsScored} accounts.` : ' Scores will be recomputed on the next scheduled run.';
    await deps.slack.chat.postMessage({ channel: actor, text: `${summary}${scored}` }).catch((error: unknown) => deps.logger.warn('could not send the admin summary', { error }));
  }

  subcommands.add({
    name: 'admin',
    usage: '/health admin',
    summary: 'tune the model: weights, thresholds, band cut-offs, history (admins)',
    async handle({ command, respond, client }) {
      if (!(await admins.isAdmin(command.user_id))) return void (await respond({ response_type: 'ephemeral', ...textMessage(REFUSAL) }));
      await client.views.open({ trigger_id: command.trigger_id, view: await buildModal('default') });
    },
  });

  app.action(ACTION_IDS.tuningPickModel, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view || !(await admins.isAdmin(body.user.id))) return;
    const key = modelKeyValue.safeParse(action.type === 'static_select' ? action.selected_option?.value : undefined);
    if (!key.success) return;
    await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: await buildModal(key.data) });
  });

  app.action(ACTION_IDS.tuningPreview, async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view || !(await admins.isAdmin(body.user.id))) return;
    const meta = tuningMetadataSchema.safeParse(safeJson(body.view.private_metadata));
    const state = viewStateSchema.safeParse(body.view.state?.values ?? {});
    if (!meta.success || !state.success) return;
    const base = (await loadActiveModels(prisma)).byKey.get(meta.data.modelKey);
    if (!base) return;
    const known = new Set((await loadMetricDefinitions(prisma)).keys());
    const form = readTuningForm(state.data, base, known);
    const preview = form.ok
      ? await previewModelChange(prisma, base.key, form.definition, deps.clock())
      : { error: Object.values(form.errors).slice(0, 3).join('; ') };
    const view = await buildModal(base.key, { preview, ...(form.ok ? { shown: form.definition } : {}) });
    await client.views.update({ view_id: body.view.id, view });
  });

  app.view(CALLBACK_IDS.adminModel, async ({ ack, body, view }) => {
    const user = body.user.id;
    if (!(await admins.isAdmin(user))) {
      deps.logger.warn('refused a model change from a non-admin', { user });
      return void (await ack({ response_action: 'errors', errors: { note: REFUSAL } }));
    }
    const meta = tuningMetadataSchema.safeParse(safeJson(view.private_metadata));
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta.success || !state.success) return void (await ack({ response_action: 'errors', errors: { note: 'This form is out of date: close it and run /health admin again.' } }));
    const base = (await loadActiveModels(prisma)).byKey.get(meta.data.modelKey);
    if (!base) return void (await ack({ response_action: 'errors', errors: { note: `Model ${meta.data.modelKey} no longer exists.` } }));
    const form = readTuningForm(state.data, base, new Set((await loadMetricDefinitions(prisma)).keys()));
    if (!form.ok) return void (await ack({ response_action: 'errors', errors: form.errors }));
    try {
      const saved = await saveModelVersion(prisma, { definition: form.definition, actor: user, note: form.note, expectedVersion: meta.data.baseVersion });
      await ack();
      void recomputeAfterChange(user, `Saved *${saved.name}* v${saved.version}${form.note ? ` (“${form.note}”)` : ''}.`);
    } catch (error) {
      if (error instanceof InvalidModelError) return void (await ack({ response_action: 'errors', errors: { note: error.issues.map((i) => i.message).join('; ').slice(0, 300) } }));
      throw error;
    }
  });

  app.action(ACTION_IDS.tuningHistory, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !(await admins.isAdmin(body.user.id))) return;
    const key = modelKeyValue.safeParse('value' in action ? action.value : undefined);
    if (!key.success) return;
    const model = (await loadActiveModels(prisma)).byKey.get(key.data);
    if (!model) return;
    await client.views.push({ trigger_id: body.trigger_id, view: historyModal(model.name, model.key, await listModelVersions(prisma, model.key)) });
  });

  app.action(ACTION_IDS.tuningRestore, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    if (!(await admins.isAdmin(body.user.id))) {
      deps.logger.warn('refused a model restore from a non-admin', { user: body.user.id });
      return;
    }
    const target = restoreValue.safeParse('value' in action ? action.value : undefined);
    if (!target.success) return;
    const saved = await restoreModelVersion(prisma, { modelKey: target.data.key, version: target.data.version, actor: body.user.id });
    await client.views.update({
      view_id: body.view.id,
      view: historyModal(saved.name, saved.key, await listModelVersions(prisma, saved.key), `:white_check_mark: Restored v${target.data.version} as v${saved.version}.`),
    });
    void recomputeAfterChange(body.user.id, `Restored *${saved.name}* v${target.data.version} as v${saved.version}.`);
  });
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return null;
  }
}
