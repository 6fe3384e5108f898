// Modals whose figures take seconds: show the view at once (the trigger id
// lives 3 seconds), then replace it when the figures are ready. The update
// carries the hash Slack returned, so it never overwrites a view the user has
// since moved on from (another model picked, another preview asked for).
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { slackPlatformError } from './slack-errors.js';

export interface ViewRef {
  id: string;
  hash?: string;
}

/** Slack answers that mean "the user moved on": not an error. */
const STALE_VIEW_ERRORS = new Set(['hash_conflict', 'not_found']);

export function viewRefOf(view: { id?: string; hash?: string } | undefined): ViewRef | null {
  if (!view?.id) return null;
  return view.hash ? { id: view.id, hash: view.hash } : { id: view.id };
}

/** Replaces the view; null when the view changed or closed meanwhile. */
export async function updateView(client: WebClient, ref: ViewRef, view: ModalView, logger: Logger): Promise<ViewRef | null> {
  try {
    const result = await client.views.update({ view_id: ref.id, ...(ref.hash ? { hash: ref.hash } : {}), view });
    return viewRefOf(result.view);
  } catch (error) {
    const slackError = slackPlatformError(error);
    if (slackError === null || !STALE_VIEW_ERRORS.has(slackError)) throw error;
    logger.debug('modal moved on before its update', { slackError, viewId: ref.id });
    return null;
  }
}

/** Waits for the fast view to be shown, then swaps in the slow one unless the user moved on. */
export async function showThenFill(client: WebClient, show: Promise<ViewRef | null>, fill: () => Promise<ModalView>, logger: Logger): Promise<void> {
  const ref = await show;
  if (ref) await updateView(client, ref, await fill(), logger);
}
