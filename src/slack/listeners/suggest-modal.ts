// "Suggest from outcomes" in the admin modal. The button's trigger id lives 3
// seconds, so a "computing" view is pushed at once and the evidence arrives by
// views.update. Apply, Shadow and Dismiss re-check admin rights and recompute
// the suggestion from the database: nothing from the view is trusted beyond
// the weights it showed, which must still be what the outcomes say.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { InvalidModelError, loadMetricDefinitions, UnknownModelError } from '../../models/model-store.js';
import { applySuggestion, suggestForModel, type ModelSuggestion } from '../../outcomes/suggest-model.js';
import { startShadow } from '../../shadow/shadow-store.js';
import type { AdminCheck } from '../../tuning/is-admin.js';
import { ACTION_IDS } from '../ids.js';
import { showThenFill, updateView, viewRefOf } from '../modal-updates.js';
import { decodeSuggestMetadata, type SuggestMetadata } from '../suggest-metadata.js';
import { escapeMrkdwn } from '../views/block-limits.js';
import { suggestionModal } from '../views/suggestion-modal.js';
import { admitAdmin, modelKeyValue, recomputeAndTellAdmin } from './tuning-shared.js';

/** The modal's last word: a refusal, a failure or what was done. */
const doneView = (text: string) => suggestionModal({ kind: 'done', title: 'Suggested weights', text });

const sameWeights = (meta: SuggestMetadata, s: ModelSuggestion) =>
  s.suggestion.weights !== null && s.model.version === meta.baseVersion &&
  JSON.stringify(Object.entries(meta.weights).sort()) === JSON.stringify([...s.suggestion.weights].sort());

export function registerSuggestModal(app: App, deps: AppDeps, admins: AdminCheck): void {
  const prisma = deps.db.prisma;
  const evidenceView = async (modelKey: string, leadDays?: number, notice?: string) => {
    const [suggestion, metrics] = await Promise.all([suggestForModel(prisma, modelKey, { now: deps.clock(), ...(leadDays ? { leadDays } : {}) }), loadMetricDefinitions(prisma)]);
    const labels = new Map([...metrics.values()].map((m) => [m.key, m.label]));
    return { suggestion, view: suggestionModal({ kind: 'ready', suggestion, labels, ...(notice ? { notice } : {}) }) };
  };
  const failed = (error: unknown) => {
    deps.logger.error('suggesting weights failed', { error });
    return doneView(':warning: The suggestion could not be computed (see the logs). Nothing was changed.');
  };

  app.action(ACTION_IDS.tuningSuggest, async ({ ack, body, action, client }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const key = modelKeyValue.safeParse('value' in action ? action.value : undefined);
    if (!key.success) return;
    const admitted = await admitAdmin(admins, deps.logger, body.user.id, {
      log: 'refused a suggestion to a non-admin',
      show: (text) => client.views.push({ trigger_id: body.trigger_id, view: doneView(text) }),
    });
    if (!admitted) return;
    const pushing = client.views.push({ trigger_id: body.trigger_id, view: suggestionModal({ kind: 'computing', modelName: key.data }) }).then((pushed) => viewRefOf(pushed.view));
    await showThenFill(client, pushing, () => evidenceView(key.data).then((r) => r.view, failed), deps.logger);
  });

  /** The common part of Apply / Shadow / Dismiss: admin, metadata, and a ref to the view to answer in. */
  const decide = (actionId: string, run: (args: { meta: SuggestMetadata; user: string; ref: { id: string; hash?: string } }) => Promise<void>) => {
    app.action(actionId, async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions' || !body.view) return;
      const ref = { id: body.view.id, hash: body.view.hash };
      const admitted = await admitAdmin(admins, deps.logger, body.user.id, {
        log: 'refused a suggestion decision from a non-admin',
        fields: { actionId },
        show: (text) => updateView(client, ref, doneView(text), deps.logger),
      });
      if (!admitted) return;
      const meta = decodeSuggestMetadata(body.view.private_metadata);
      if (!meta) return void (await updateView(client, ref, doneView('This suggestion is out of date: close it and press "Suggest from outcomes" again.'), deps.logger));
      await run({ meta, user: body.user.id, ref });
    });
  };

  /** The suggestion as the outcomes say now, if it still matches what the admin saw; otherwise the new one is shown. */
  const confirmSame = async (meta: SuggestMetadata, ref: { id: string; hash?: string }, client: typeof deps.slack): Promise<ModelSuggestion | null> => {
    const now = await suggestForModel(prisma, meta.modelKey, { now: deps.clock(), leadDays: meta.leadDays });
    if (sameWeights(meta, now)) return now;
    const fresh = await evidenceView(meta.modelKey, meta.leadDays, ':warning: The model or its outcomes changed since this suggestion was shown, so nothing was saved. Here is the suggestion as it stands now.');
    await updateView(client, ref, fresh.view, deps.logger);
    return null;
  };

  decide(ACTION_IDS.suggestApply, async ({ meta, user, ref }) => {
    try {
      const current = await confirmSame(meta, ref, deps.slack);
      if (!current) return;
      const saved = await applySuggestion(prisma, current, user);
      await updateView(deps.slack, ref, suggestionModal({ kind: 'done', title: 'Weights applied', text: `:white_check_mark: Saved *${escapeMrkdwn(saved.name)}* v${saved.version} with the suggested weights. Scores are being recomputed; restore v${meta.baseVersion} any time from History & restore.` }), deps.logger);
      void recomputeAndTellAdmin(deps, user, `Saved *${saved.name}* v${saved.version} with weights suggested from outcomes.`);
    } catch (error) {
      if (!(error instanceof InvalidModelError || error instanceof UnknownModelError)) return void (await updateView(deps.slack, ref, failed(error), deps.logger));
      const problem = error instanceof UnknownModelError ? error.message : error.issues.map((i) => i.message).join('; ');
      await updateView(deps.slack, ref, doneView(`:warning: Nothing was saved: ${escapeMrkdwn(problem)}.`), deps.logger);
    }
  });

  decide(ACTION_IDS.suggestShadow, async ({ meta, user, ref }) => {
    try {
      const current = await confirmSame(meta, ref, deps.slack);
      if (!current?.candidate) return;
      const shadow = await startShadow(prisma, { definition: current.candidate, actor: user, note: `suggested from ${current.suggestion.churned} churned and ${current.suggestion.renewed} renewed outcomes`, now: deps.clock() });
      await updateView(deps.slack, ref, suggestionModal({ kind: 'done', title: 'Shadow started', text: `:eyes: The suggested weights now score every account beside *${escapeMrkdwn(current.model.name)}* until ${shadow.endsAt.toISOString().slice(0, 10)}. Live scores and alerts are unchanged; admins see the shadow score in /health, and \`account-health model evaluate\` compares both on the renewals that happen meanwhile.` }), deps.logger);
      // Score the shadow now rather than at the next scheduled run.
      void recomputeAndTellAdmin(deps, user, `Started a 30-day shadow of *${current.model.name}* with weights suggested from outcomes.`);
    } catch (error) {
      await updateView(deps.slack, ref, failed(error), deps.logger);
    }
  });

  decide(ACTION_IDS.suggestDismiss, async ({ meta, user, ref }) => {
    await prisma.auditEntry.create({ data: { actor: user, action: 'model.suggestion.dismiss', entityType: 'health_model', entityId: meta.modelKey, after: { baseVersion: meta.baseVersion, weights: meta.weights } } });
    await updateView(deps.slack, ref, doneView('Dismissed: nothing was changed.'), deps.logger);
  });
}
