// The admin modal's history: list a model's versions, restore an earlier one
// as a new version. Every outcome — restored, refused, unknown version — is
// shown to the person who pressed the button.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import { InvalidModelError, restoreModelVersion, UnknownModelError } from '../../models/model-store.js';
import type { AdminCheck } from '../../tuning/is-admin.js';
import { loadModelHistory, type ModelHistory } from '../../tuning/model-history.js';
import { ACTION_IDS } from '../ids.js';
import { updateView } from '../modal-updates.js';
import { historyModal, noticeModal } from '../views/tuning-modal.js';
import { admitAdmin, modelKeyValue, recomputeAndTellAdmin } from './tuning-shared.js';

const restoreValue = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}:\d{1,6}$/)
  .transform((v) => {
    const [key = '', version = '0'] = v.split(':');
    return { key, version: Number(version) };
  });

export function registerTuningHistory(app: App, deps: AppDeps, admins: AdminCheck): void {
  const prisma = deps.db.prisma;

  app.action(ACTION_IDS.tuningHistory, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const key = modelKeyValue.safeParse('value' in action ? action.value : undefined);
    if (!key.success) return;
    const admitted = await admitAdmin(admins, deps.logger, body.user.id, {
      log: 'refused a model history from a non-admin',
      show: (text) => client.views.push({ trigger_id: body.trigger_id, view: noticeModal('Model history', text) }),
    });
    if (!admitted) return;
    await client.views.push({ trigger_id: body.trigger_id, view: historyView(await loadModelHistory(prisma, key.data), key.data) });
  });

  app.action(ACTION_IDS.tuningRestore, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    const ref = { id: body.view.id, hash: body.view.hash };
    const admitted = await admitAdmin(admins, deps.logger, body.user.id, {
      log: 'refused a model restore',
      show: (text) => updateView(client, ref, noticeModal('Model history', text), deps.logger),
    });
    if (!admitted) return;
    const target = restoreValue.safeParse('value' in action ? action.value : undefined);
    if (!target.success) return;
    const { key, version } = target.data;
    try {
      const saved = await restoreModelVersion(prisma, { modelKey: key, version, actor: body.user.id });
      const notice = `:white_check_mark: Restored v${version} as v${saved.version}.`;
      await updateView(client, ref, historyView(await loadModelHistory(prisma, saved.key), saved.key, notice), deps.logger);
      void recomputeAndTellAdmin(deps, body.user.id, `Restored *${saved.name}* v${version} as v${saved.version}.`);
    } catch (error) {
      if (!(error instanceof UnknownModelError || error instanceof InvalidModelError)) throw error;
      deps.logger.warn('a model restore failed', { user: body.user.id, key, version, error });
      const problem = error instanceof UnknownModelError ? error.message : error.issues.map((i) => i.message).join('; ');
      const notice = `:warning: Nothing was restored: ${problem}.`;
      await updateView(client, ref, historyView(await loadModelHistory(prisma, key), key, notice), deps.logger);
    }
  });
}

function historyView(history: ModelHistory | null, key: string, notice?: string) {
  if (!history) return noticeModal('Model history', `${notice ? `${notice}\n` : ''}Model “${key}” no longer exists.`);
  return historyModal(history.name, history.key, history.versions, notice);
}
