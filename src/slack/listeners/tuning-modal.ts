// /health admin: admins tune the model in a modal. Authorisation is checked
// when the modal opens AND on every action and submission, so a forged
// view_submission from a non-admin changes nothing. The modal opens at once
// (the trigger id lives 3 seconds); churn separation and previews, which take
// seconds on a large portfolio, arrive in a views.update.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { InvalidModelError, saveModelVersion } from '../../models/model-store.js';
import { describeEvaluation, evaluateModel } from '../../tuning/evaluate-model.js';
import { AdminCheck } from '../../tuning/is-admin.js';
import { loadTuningModel, type TuningModel } from '../../tuning/load-tuning-model.js';
import { previewModelChange } from '../../tuning/preview-model-change.js';
import { readTuningForm, viewStateSchema } from '../../tuning/read-tuning-form.js';
import type { SubcommandTable } from '../health-subcommands.js';
import { ACTION_IDS, CALLBACK_IDS, TUNING_BLOCK_IDS } from '../ids.js';
import { showThenFill, updateView, viewRefOf } from '../modal-updates.js';
import { decodeTuningMetadata } from '../tuning-metadata.js';
import { textMessage } from '../views/health-views.js';
import { tuningModal, type TuningModalData } from '../views/tuning-modal.js';
import { registerSuggestModal } from './suggest-modal.js';
import { registerTuningHistory } from './tuning-history.js';
import { modelKeyValue, recomputeAndTellAdmin, refusalText } from './tuning-shared.js';

const STALE_FORM = 'This form is out of date: close it and run /health admin again.';

export function registerTuningModal(app: App, deps: AppDeps, subcommands: SubcommandTable): void {
  const admins = new AdminCheck(deps.config.ADMIN_USER_IDS, deps.slack, {}, (user, error) => deps.logger.warn('could not check admin rights with users.info', { user, error }));
  const prisma = deps.db.prisma;
  const knownKeys = (data: TuningModel) => new Set(data.catalogue.map((m) => m.key));

  /** The modal with the stored model's churn separation filled in (the slow part). */
  const withEvaluation = async (data: TuningModalData): Promise<TuningModalData> => {
    const evaluation = await evaluateModel(prisma, data.model.key, null, deps.clock()).then(describeEvaluation, (error: unknown) => {
      deps.logger.error('evaluating the model for the admin modal failed', { error });
      return 'could not be computed (see the logs)';
    });
    return { ...data, evaluation };
  };

  subcommands.add({
    name: 'admin',
    usage: '/health admin',
    summary: 'tune the model: weights, thresholds, band cut-offs, history (admins)',
    async handle({ command, respond, client }) {
      const access = await admins.check(command.user_id);
      if (access !== 'admin') return void (await respond({ response_type: 'ephemeral', ...textMessage(refusalText(access)) }));
      const light: TuningModalData = { ...(await loadTuningModel(prisma, 'default')), evaluation: null };
      const opening = client.views.open({ trigger_id: command.trigger_id, view: tuningModal(light) }).then((opened) => viewRefOf(opened.view));
      await showThenFill(client, opening, async () => tuningModal(await withEvaluation(light)), deps.logger);
    },
  });

  app.action(ACTION_IDS.tuningPickModel, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    const key = modelKeyValue.safeParse(action.type === 'static_select' ? action.selected_option?.value : undefined);
    if (!key.success) return;
    const access = await admins.check(body.user.id);
    if (access !== 'admin') return void deps.logger.warn('refused a model pick from a non-admin', { user: body.user.id, access });
    const light: TuningModalData = { ...(await loadTuningModel(prisma, key.data)), evaluation: null };
    const showing = updateView(client, { id: body.view.id, hash: body.view.hash }, tuningModal(light), deps.logger);
    await showThenFill(client, showing, async () => tuningModal(await withEvaluation(light)), deps.logger);
  });

  app.action(ACTION_IDS.tuningPreview, async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    const meta = decodeTuningMetadata(body.view.private_metadata);
    const state = viewStateSchema.safeParse(body.view.state?.values ?? {});
    if (!meta || !state.success) return;
    const [access, data] = await Promise.all([admins.check(body.user.id), loadTuningModel(prisma, meta.modelKey)]);
    if (data.model.key !== meta.modelKey) return;
    const form = readTuningForm(state.data, data.model, knownKeys(data), meta.measureKeys);
    const shown = form.ok ? form.definition : form.draft.measures.length > 0 ? form.draft : data.model;
    const ref = { id: body.view.id, hash: body.view.hash };
    if (access !== 'admin') {
      deps.logger.warn('refused a preview from a non-admin', { user: body.user.id, access });
      return void (await updateView(client, ref, tuningModal({ ...data, shown, evaluation: 'not shown', preview: { kind: 'error', message: refusalText(access) } }), deps.logger));
    }
    if (!form.ok) {
      const message = Object.values(form.errors).slice(0, 3).join('; ');
      const light: TuningModalData = { ...data, shown, evaluation: null, preview: { kind: 'error', message } };
      return void (await showThenFill(client, updateView(client, ref, tuningModal(light), deps.logger), async () => tuningModal(await withEvaluation(light)), deps.logger));
    }
    const light: TuningModalData = { ...data, shown: form.definition, evaluation: null, preview: { kind: 'computing' } };
    await showThenFill(client, updateView(client, ref, tuningModal(light), deps.logger), async () => {
      const preview = await previewModelChange(prisma, data.model.key, form.definition, deps.clock());
      return tuningModal({ ...light, evaluation: describeEvaluation(preview.before), preview: { kind: 'ready', preview } });
    }, deps.logger);
  });

  app.view(CALLBACK_IDS.adminModel, async ({ ack, body, view }) => {
    const user = body.user.id;
    const access = await admins.check(user);
    if (access !== 'admin') {
      deps.logger.warn('refused a model change', { user, access });
      return void (await ack({ response_action: 'errors', errors: { [TUNING_BLOCK_IDS.note]: refusalText(access) } }));
    }
    const meta = decodeTuningMetadata(view.private_metadata);
    const state = viewStateSchema.safeParse(view.state.values);
    if (!meta || !state.success) return void (await ack({ response_action: 'errors', errors: { [TUNING_BLOCK_IDS.note]: STALE_FORM } }));
    const data = await loadTuningModel(prisma, meta.modelKey);
    if (data.model.key !== meta.modelKey) return void (await ack({ response_action: 'errors', errors: { [TUNING_BLOCK_IDS.note]: `Model ${meta.modelKey} no longer exists.` } }));
    const form = readTuningForm(state.data, data.model, knownKeys(data), meta.measureKeys);
    if (!form.ok) return void (await ack({ response_action: 'errors', errors: form.errors }));
    try {
      const saved = await saveModelVersion(prisma, { definition: form.definition, actor: user, note: form.note, expectedVersion: meta.baseVersion });
      await ack();
      void recomputeAndTellAdmin(deps, user, `Saved *${saved.name}* v${saved.version}${form.note ? ` (“${form.note}”)` : ''}.`);
    } catch (error) {
      if (!(error instanceof InvalidModelError)) throw error;
      await ack({ response_action: 'errors', errors: { [TUNING_BLOCK_IDS.note]: error.issues.map((i) => i.message).join('; ').slice(0, 300) } });
    }
  });

  registerTuningHistory(app, deps, admins);
  registerSuggestModal(app, deps, admins);
}
