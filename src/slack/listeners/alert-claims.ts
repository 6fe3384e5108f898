// Claim and resolve by reaction (:eyes:, :white_check_mark:) or by button.
// The message refresh goes through the outbox; the deliverer is kicked at once.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import { claimAlert, findAlertByMessage, releaseClaim, resolveAlert, type ClaimOutcome } from '../../alerts/claims.js';
import { ACTION_IDS } from '../ids.js';

const CLAIM_REACTIONS = new Set(['eyes']);
const RESOLVE_REACTIONS = new Set(['white_check_mark', 'heavy_check_mark']);
const alertIdValue = z.string().regex(/^\d{1,10}$/).transform(Number);

export function registerAlertClaims(app: App, deps: AppDeps): void {
  const prisma = deps.db.prisma;

  const tellLoser = async (client: AppDeps['slack'], channel: string, user: string, outcome: ClaimOutcome) => {
    if (outcome.kind === 'already_claimed') {
      await client.chat.postEphemeral({ channel, user, text: `<@${outcome.by}> already owns this follow-up. Reply in the thread to help.` });
    } else if (outcome.kind === 'closed') {
      await client.chat.postEphemeral({ channel, user, text: 'This alert is already closed.' });
    }
  };

  app.event('reaction_added', async ({ event, context, client }) => {
    if (event.item.type !== 'message' || event.user === context.botUserId) return;
    const isClaim = CLAIM_REACTIONS.has(event.reaction);
    const isResolve = RESOLVE_REACTIONS.has(event.reaction);
    if (!isClaim && !isResolve) return;
    const alertId = await findAlertByMessage(prisma, event.item.channel, event.item.ts);
    if (alertId === null) return;
    if (isClaim) {
      const outcome = await claimAlert(prisma, alertId, event.user, deps.clock());
      if (outcome.kind === 'claimed') deps.outbox.notify();
      else await tellLoser(client, event.item.channel, event.user, outcome);
    } else if (await resolveAlert(prisma, alertId, event.user, deps.clock())) {
      deps.outbox.notify();
    }
  });

  app.event('reaction_removed', async ({ event, context }) => {
    if (event.item.type !== 'message' || event.user === context.botUserId || !CLAIM_REACTIONS.has(event.reaction)) return;
    const alertId = await findAlertByMessage(prisma, event.item.channel, event.item.ts);
    if (alertId !== null && (await releaseClaim(prisma, alertId, event.user, deps.clock()))) deps.outbox.notify();
  });

  app.action(ACTION_IDS.claimAlert, async ({ ack, action, body, client, respond }) => {
    await ack();
    const id = alertIdValue.safeParse('value' in action ? action.value : undefined);
    if (!id.success) return;
    const outcome = await claimAlert(prisma, id.data, body.user.id, deps.clock());
    if (outcome.kind === 'claimed') {
      deps.outbox.notify();
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'You own this follow-up now. :eyes:' });
    } else if (body.channel?.id) {
      await tellLoser(client, body.channel.id, body.user.id, outcome);
    }
  });

  app.action(ACTION_IDS.resolveAlert, async ({ ack, action, body }) => {
    await ack();
    const id = alertIdValue.safeParse('value' in action ? action.value : undefined);
    if (id.success && (await resolveAlert(prisma, id.data, body.user.id, deps.clock()))) deps.outbox.notify();
  });
}
