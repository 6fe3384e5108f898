// /health alerts: do our alerts lead somewhere? Claim rate, time to claim, recovery.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { computeAlertStats } from '../../alerts/maintain-alerts.js';
import type { SubcommandTable } from '../health-subcommands.js';
import { textMessage } from '../views/health-views.js';

const DAY_MS = 86_400_000;
const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);

export function registerAlertsSubcommand(_app: App, _deps: AppDeps, subcommands: SubcommandTable): void {
  subcommands.add({
    name: 'alerts',
    usage: '/health alerts',
    summary: 'how the team handles alerts: claim rate, time to claim, recovery rate (last 90 days)',
    async handle({ respond, deps }) {
      const stats = await computeAlertStats(deps.db.prisma, new Date(deps.clock().getTime() - 90 * DAY_MS));
      const minutes = stats.medianMinutesToClaim;
      const toClaim = minutes === null ? 'n/a' : minutes < 120 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`;
      await respond({
        response_type: 'ephemeral',
        ...textMessage(
          `*Alerts, last 90 days*: ${stats.total} raised · claimed ${stats.claimed} (${pct(stats.claimRate)}) · median time to claim ${toClaim} · ` +
            `recovered within 30 days of closing: ${stats.recovered} of ${stats.judged} judged (${pct(stats.recoveryRate)})`,
        ),
      });
    },
  });
}
