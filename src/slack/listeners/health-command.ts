// /health: acknowledged at once (Slack allows 3 s), answered via response_url.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../../app-deps.js';
import { findAccounts } from '../../accounts/find-accounts.js';
import { findAlertAccount } from '../../accounts/find-alert-account.js';
import { claimAlert } from '../../alerts/claims.js';
import { parseSentimentArgs, recordSentiment } from '../../accounts/record-sentiment.js';
import { runRecomputeAndAlerts } from '../../alerts/recompute-and-alert.js';
import { buildHealthReport } from '../../reports/build-health-report.js';
import { listPortfolio } from '../../reports/list-portfolio.js';
import { ACTION_IDS } from '../ids.js';
import type { SubcommandContext, SubcommandTable } from '../health-subcommands.js';
import { chooserMessage, noMatchMessage, portfolioMessage, textMessage } from '../views/health-views.js';
import { respondWithChart, sharedBreakdownWithChart } from './health-chart.js';
import { helpMessage } from '../views/help-view.js';
import { escapeMrkdwn } from '../views/block-limits.js';
import { withShadowForAdmins } from '../shadow-note.js';

const MAX_QUERY = 200;
const idValue = z.string().regex(/^\d{1,10}$/).transform(Number);

export function registerHealthCommand(app: App, deps: AppDeps, subcommands: SubcommandTable): void {
  app.command('/health', async ({ command, ack, respond, client }) => {
    await ack();
    const text = command.text.trim();
    const [first = '', ...rest] = text.split(/\s+/);
    const context: SubcommandContext = { command, args: rest, respond, client, deps };
    try {
      const name = first.toLowerCase();
      if (name === '' || name === 'help') return void (await respond({ response_type: 'ephemeral', ...helpMessage(subcommands.list()) }));
      if (name === 'at-risk' || name === 'atrisk') return void (await replyAtRisk(context));
      if (name === 'mine') return void (await replyMine(context));
      if (name === 'sentiment') return void (await replySentiment(context));
      const extra = subcommands.find(name);
      if (extra) return void (await extra.handle(context));
      await replyAccount(context, text);
    } catch (error) {
      deps.logger.error('/health failed', { error, text: text.slice(0, MAX_QUERY) });
      await respond({ response_type: 'ephemeral', ...textMessage(':warning: Something went wrong looking that up. The team has been told; please try again in a moment.') });
    }
  });

  app.action(new RegExp(`^${ACTION_IDS.chooseAccount}`), async ({ ack, action, respond }) => {
    await ack();
    const id = idValue.safeParse('value' in action ? action.value : undefined);
    if (!id.success) return;
    const report = await buildHealthReport(deps.db.prisma, id.data, deps.clock()).catch(() => null);
    if (!report) return void (await respond({ replace_original: true, response_type: 'ephemeral', ...textMessage('That account no longer exists.') }));
    await respondWithChart(deps, respond, report, { replaceOriginal: true });
  });

  // "Claim follow-up" on a /health reply: claim, then redraw that reply so it says who owns it.
  app.action(ACTION_IDS.claimFromHealth, async ({ ack, action, body, respond }) => {
    await ack();
    const alertId = idValue.safeParse('value' in action ? action.value : undefined);
    if (!alertId.success) return;
    const outcome = await claimAlert(deps.db.prisma, alertId.data, body.user.id, deps.clock());
    if (outcome.kind === 'not_found') return void (await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage('That alert no longer exists.') }));
    if (outcome.kind === 'claimed') deps.outbox.notify();
    const accountId = await findAlertAccount(deps.db.prisma, alertId.data);
    if (accountId === null) return;
    const report = await buildHealthReport(deps.db.prisma, accountId, deps.clock());
    await respondWithChart(deps, respond, report, { replaceOriginal: true });
  });

  app.action(ACTION_IDS.shareInChannel, async ({ ack, action, body, client, respond }) => {
    await ack();
    const id = idValue.safeParse('value' in action ? action.value : undefined);
    const channel = body.channel?.id;
    if (!id.success || !channel) return;
    const report = await buildHealthReport(deps.db.prisma, id.data, deps.clock());
    const message = await sharedBreakdownWithChart(deps, report);
    try {
      await client.chat.postMessage({ channel, text: `${message.text} — shared by <@${body.user.id}>`, blocks: message.blocks });
    } catch (error) {
      deps.logger.warn('share in channel failed', { error, channel });
      await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage('I could not post in this channel: invite me with `/invite @account-health` and try again.') });
    }
  });
}

async function replyAccount({ respond, deps, command }: SubcommandContext, query: string): Promise<void> {
  const match = await findAccounts(deps.db.prisma, query.slice(0, MAX_QUERY));
  if (match.kind === 'none') return void (await respond({ response_type: 'ephemeral', ...noMatchMessage(query, match.near) }));
  if (match.kind === 'many') return void (await respond({ response_type: 'ephemeral', ...chooserMessage(query, match.candidates, match.total) }));
  const report = await buildHealthReport(deps.db.prisma, match.account.id, deps.clock());
  await respondWithChart(deps, respond, report, { decorate: (message) => withShadowForAdmins(deps, command.user_id, match.account.id, message) });
}

async function replyAtRisk({ respond, deps, command }: SubcommandContext): Promise<void> {
  const [mine, all] = await Promise.all([
    listPortfolio(deps.db.prisma, { atRiskOnly: true, ownerSlackUserId: command.user_id, limit: 10 }),
    listPortfolio(deps.db.prisma, { atRiskOnly: true, limit: 25 }),
  ]);
  const mineIds = new Set(mine.entries.map((e) => e.accountId));
  const entries = [...mine.entries, ...all.entries.filter((e) => !mineIds.has(e.accountId))];
  const title = mine.total > 0 ? `At-risk accounts (${all.total}) — your ${mine.total} first` : `At-risk accounts (${all.total})`;
  // The caller's at-risk accounts are a subset of all at-risk accounts, so the total is all.total.
  await respond({ response_type: 'ephemeral', ...portfolioMessage(title, entries, all.total, 'No account is at risk or critical right now. :tada:') });
}

async function replyMine({ respond, deps, command }: SubcommandContext): Promise<void> {
  const mine = await listPortfolio(deps.db.prisma, { ownerSlackUserId: command.user_id, limit: 50 });
  await respond({ response_type: 'ephemeral', ...portfolioMessage(`Your accounts (${mine.total}), lowest score first`, mine.entries, mine.total, 'No accounts list you as owner. Set owner_slack_user_id on your accounts (CSV import or API).') });
}

/**
 * A CSM's judgement should move the score at once, not 15 minutes later. The
 * judgement is already stored; if the re-score cannot run now (a full run holds
 * the lock) or fails, the next scheduled run picks it up.
 */
async function rescoreAccount(deps: AppDeps, accountId: number): Promise<boolean> {
  try {
    return (await runRecomputeAndAlerts(deps, { trigger: 'sentiment', accountIds: [accountId] })).ran;
  } catch (error) {
    deps.logger.warn('could not re-score after a CSM sentiment; the next run will', { error, accountId });
    return false;
  }
}

async function replySentiment({ respond, deps, command, args }: SubcommandContext): Promise<void> {
  const parsed = parseSentimentArgs(args);
  if (!parsed.ok) return void (await respond({ response_type: 'ephemeral', ...textMessage(parsed.error) }));
  const match = await findAccounts(deps.db.prisma, parsed.accountQuery);
  if (match.kind === 'none') return void (await respond({ response_type: 'ephemeral', ...noMatchMessage(parsed.accountQuery, match.near) }));
  if (match.kind === 'many') {
    const names = match.candidates.slice(0, 5).map((a) => `\`${a.externalId}\` ${a.name}`).join(', ');
    return void (await respond({ response_type: 'ephemeral', ...textMessage(`“${parsed.accountQuery}” matches ${match.total} accounts (${names}…). Use the external id, e.g. \`/health sentiment ${match.candidates[0]?.externalId ?? 'ID'} ${parsed.value} ${parsed.reason}\`.`) }));
  }
  await recordSentiment(deps.db.prisma, { accountId: match.account.id, value: parsed.value, reason: parsed.reason, author: command.user_id, at: deps.clock() });
  const when = (await rescoreAccount(deps, match.account.id)) ? 'It is in the score now' : 'It counts in the score from the next recomputation';
  await respond({ response_type: 'ephemeral', ...textMessage(`Recorded your view of *${escapeMrkdwn(match.account.name)}*: *${parsed.value}/5* — “${escapeMrkdwn(parsed.reason)}”. ${when}, and expires after the CSM sentiment freshness window.`) });
}
