// /health alerts: do our alerts lead somewhere? Claim rate, time to claim, recovery.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { listUndeliveredAlerts, type UndeliveredAlert } from '../../alerts/delivery-status.js';
import { computeAlertStats } from '../../alerts/maintain-alerts.js';
import type { SubcommandTable } from '../health-subcommands.js';
import { escapeMrkdwn } from '../views/block-limits.js';
import { textMessage } from '../views/health-views.js';

const DAY_MS = 86_400_000;
const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);

export function registerAlertsSubcommand(_app: App, _deps: AppDeps, subcommands: SubcommandTable): void {
  subcommands.add({
    name: 'alerts',
    usage: '/health alerts',
    summary: 'how the team handles alerts: claim rate, time to claim, recovery rate (last 90 days)',
    async handle({ respond, deps }) {
      const since = new Date(deps.clock().getTime() - 90 * DAY_MS);
      const [stats, undelivered] = await Promise.all([computeAlertStats(deps.db.prisma, since), listUndeliveredAlerts(deps.db.prisma, since)]);
      const minutes = stats.medianMinutesToClaim;
      const toClaim = minutes === null ? 'n/a' : minutes < 120 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`;
      await respond({
        response_type: 'ephemeral',
        ...textMessage(
          `*Alerts, last 90 days*: ${stats.total} raised · claimed ${stats.claimed} (${pct(stats.claimRate)}) · median time to claim ${toClaim} · ` +
            `recovered within 30 days of closing: ${stats.recovered} of ${stats.judged} judged (${pct(stats.recoveryRate)})` +
            undeliveredLine(undelivered),
        ),
      });
    },
  });
}

/** Alerts that never reached Slack must not go unnoticed: say which, where, and why. */
function undeliveredLine(undelivered: { total: number; shown: UndeliveredAlert[] }): string {
  if (undelivered.total === 0) return '';
  const items = undelivered.shown.map((u) => `${escapeMrkdwn(u.accountName)} (${u.channelId ? `<#${u.channelId}>` : 'no channel'}: ${escapeMrkdwn(u.error)})`);
  const more = undelivered.total > undelivered.shown.length ? ` and ${undelivered.total - undelivered.shown.length} more` : '';
  return `\n:warning: *${undelivered.total} alert${undelivered.total === 1 ? '' : 's'} could not be posted to Slack*: ${items.join(', ')}${more}. Fix the channel or set ALERT_FALLBACK_CHANNEL_ID.`;
}
