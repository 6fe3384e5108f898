// What the admin modal's listeners share: the refusal texts and the summary
// sent to the admin after a model change (with the recomputation's outcome).
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import type { AdminAccess } from '../../tuning/is-admin.js';
import { describeRecomputeAfterChange, recomputeAfterModelChange } from '../../tuning/recompute-after-model-change.js';

/** A model key as a button or select carries it: checked before it reaches a query. */
export const modelKeyValue = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

export const REFUSAL = 'Only account-health admins can change the model. Ask a workspace admin, or someone listed in ADMIN_USER_IDS.';
export const UNVERIFIED = 'I could not confirm your admin rights with Slack just now (it did not answer in time). Please try again in a moment.';

export function refusalText(access: Exclude<AdminAccess, 'admin'>): string {
  return access === 'unverified' ? UNVERIFIED : REFUSAL;
}

/** Runs after the admin's request was answered: recompute, then tell the admin how it went. */
export async function recomputeAndTellAdmin(deps: AppDeps, adminUserId: string, summary: string): Promise<void> {
  const outcome = await recomputeAfterModelChange(deps, 'admin');
  await deps.slack.chat
    .postMessage({ channel: adminUserId, text: `${summary} ${describeRecomputeAfterChange(outcome)}` })
    .catch((error: unknown) => deps.logger.warn('could not send the admin summary', { error }));
}
