// An alert post carries the account's 90-day chart under its headline, when
// one can be made in time: delivery holds a lease on its outbox row, so the
// chart gets a short budget and the post goes without it rather than late.
import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import { planReportChart } from '../charts/report-chart.js';
import type { Prisma } from '../db/database.js';
import type { Logger } from '../logger.js';
import { buildHealthReport } from '../reports/build-health-report.js';
import { chartUploadsFor, type ChartImage } from '../slack/chart-uploads.js';
import { capBlocks, MAX_MESSAGE_BLOCKS } from '../slack/views/block-limits.js';
import type { SlackMessage } from '../slack/views/health-views.js';

export const ALERT_CHART_BUDGET_MS = 2_000;

export async function withAlertChart(
  deps: { prisma: Prisma; slack: WebClient; logger: Logger },
  alertId: number,
  now: Date,
  message: SlackMessage,
  budgetMs = ALERT_CHART_BUDGET_MS,
): Promise<SlackMessage> {
  const image = await alertChart(deps, alertId, now, budgetMs).catch((error: unknown) => {
    deps.logger.warn('alert chart unavailable; posting without it', { error, alertId });
    return null;
  });
  if (!image) return message;
  const block: KnownBlock = { type: 'image', slack_file: { id: image.fileId }, alt_text: image.altText.slice(0, 2_000), title: { type: 'plain_text', text: 'Score, last 90 days' } };
  // Under the headline and the score with its triggers: what happened, then how it looked.
  const blocks = [...message.blocks.slice(0, 2), block, ...message.blocks.slice(2)];
  return { ...message, blocks: capBlocks(blocks, MAX_MESSAGE_BLOCKS) };
}

async function alertChart(deps: { prisma: Prisma; slack: WebClient; logger: Logger }, alertId: number, now: Date, budgetMs: number): Promise<ChartImage | null> {
  const alert = await deps.prisma.alert.findUnique({ where: { id: alertId }, select: { accountId: true } });
  if (!alert) return null;
  const decision = planReportChart(await buildHealthReport(deps.prisma, alert.accountId, now));
  if (decision.kind !== 'chart') return null;
  const uploads = chartUploadsFor(deps.slack, deps.logger);
  const cached = uploads.cached(decision.plan);
  if (cached) return cached;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budgetMs);
  });
  try {
    // A chart that misses the budget still finishes and is cached for the alert's next update.
    return await Promise.race([uploads.chartFor(decision.plan), late]);
  } finally {
    clearTimeout(timer);
  }
}
