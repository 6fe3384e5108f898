// What the admin modal's listeners share: the admin check with its refusal,
// and the summary sent to the admin after a model change (with the
// recomputation's outcome).
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import type { Logger } from '../../logger.js';
import type { AdminAccess, AdminCheck } from '../../tuning/is-admin.js';
import { describeRecomputeAfterChange, recomputeAfterModelChange } from '../../tuning/recompute-after-model-change.js';

/** A model key as a button or select carries it: checked before it reaches a query. */
export const modelKeyValue = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

export const REFUSAL = 'Only account-health admins can change the model. Ask a workspace admin, or someone listed in ADMIN_USER_IDS.';
export const UNVERIFIED = 'I could not confirm your admin rights with Slack just now (it did not answer in time). Please try again in a moment.';

export function refusalText(access: Exclude<AdminAccess, 'admin'>): string {
  return access === 'unverified' ? UNVERIFIED : REFUSAL;
}

/**
 * True for an admin. Anyone else is logged (`log`, with who and why) and
 * shown the refusal their access calls for, in the listener's own view as
 * `show` puts it (pushed over the modal, or in its place); false.
 */
export async function admitAdmin(
  admins: Pick<AdminCheck, 'check'>,
  logger: Logger,
  userId: string,
  refusal: { log: string; fields?: Record<string, unknown>; show: (text: string) => Promise<unknown> },
): Promise<boolean> {
  const access = await admins.check(userId);
  if (access === 'admin') return true;
  logger.warn(refusal.log, { user: userId, access, ...refusal.fields });
  await refusal.show(refusalText(access));
  return false;
}

/** Runs after the admin's request was answered: recompute, then tell the admin how it went. */
export async function recomputeAndTellAdmin(deps: AppDeps, adminUserId: string, summary: string): Promise<void> {
  const outcome = await recomputeAfterModelChange(deps, 'admin');
  await deps.slack.chat
    .postMessage({ channel: adminUserId, text: `${summary} ${describeRecomputeAfterChange(outcome)}` })
    .catch((error: unknown) => deps.logger.warn('could not send the admin summary', { error }));
}
