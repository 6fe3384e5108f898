// A /health breakdown with its chart, without the chart delaying the answer:
// the breakdown goes out at once (with the chart when it is already uploaded
// for this state), then, once rendered and uploaded, replaces itself with the
// version carrying the image. If the chart cannot be made, the first reply,
// with its text sparkline, simply stands.
import type { RespondFn } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { planReportChart } from '../../charts/report-chart.js';
import type { HealthReport } from '../../reports/build-health-report.js';
import { chartUploadsFor, type ChartImage } from '../chart-uploads.js';
import { healthBreakdownMessage, type SlackMessage } from '../views/health-views.js';

export interface RespondWithChartOptions {
  replaceOriginal?: boolean;
  /** Adds to each version of the reply (e.g. the shadow score an admin sees). */
  decorate?: (message: SlackMessage) => Promise<SlackMessage>;
}

export async function respondWithChart(deps: AppDeps, respond: RespondFn, report: HealthReport, options: RespondWithChartOptions = {}): Promise<void> {
  const decorate = options.decorate ?? (async (message: SlackMessage) => message);
  const decision = planReportChart(report);
  const uploads = chartUploadsFor(deps.slack, deps.logger);
  const ready = decision.kind === 'chart' ? uploads.cached(decision.plan) : undefined;
  const chartNote = decision.kind === 'no_history' ? decision.reason : null;
  await respond({ response_type: 'ephemeral', ...(options.replaceOriginal ? { replace_original: true } : {}), ...(await decorate(healthBreakdownMessage(report, { chart: ready ?? null, chartNote }))) });
  if (decision.kind !== 'chart' || ready) return;
  const image = await uploads.chartFor(decision.plan);
  if (!image) return;
  try {
    await respond({ response_type: 'ephemeral', replace_original: true, ...(await decorate(healthBreakdownMessage(report, { chart: image }))) });
  } catch (error) {
    deps.logger.warn('could not add the chart to a /health reply; the text trend stands', { error, accountId: report.account.id });
  }
}

/** The breakdown to post in a channel: waits for the chart (usually cached by the /health just before). */
export async function sharedBreakdownWithChart(deps: AppDeps, report: HealthReport): Promise<SlackMessage> {
  const decision = planReportChart(report);
  const image: ChartImage | null = decision.kind === 'chart' ? await chartUploadsFor(deps.slack, deps.logger).chartFor(decision.plan) : null;
  return healthBreakdownMessage(report, { shared: true, chart: image, chartNote: decision.kind === 'no_history' ? decision.reason : null });
}
