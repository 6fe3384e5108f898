// What to chart for one /health report: the chart's input, its words, and the
// key its upload is cached under. Pure; null when there is no history to draw.
import type { HealthReport } from '../reports/build-health-report.js';
import { chartAltText } from './alt-text.js';
import type { ChartInput } from './score-chart.js';

const DAY_MS = 86_400_000;
export const CHART_DAYS = 90;

export interface ChartPlan {
  /** Same account, same current snapshot, same day → same chart: its upload is reused. */
  key: string;
  input: ChartInput;
  altText: string;
  filename: string;
}

export type ChartDecision = { kind: 'chart'; plan: ChartPlan } | { kind: 'no_history'; reason: string } | { kind: 'not_scored' };

export function planReportChart(report: HealthReport): ChartDecision {
  const history = report.history;
  const current = history?.points.at(-1);
  if (!report.snapshot || !history || !current) return { kind: 'not_scored' };
  // Snapshots are change points: a first score less than a day before the chart's end is all the history there is
  // (earlier "insufficient data" snapshots draw nothing).
  const first = history.points.find((p) => p.score !== null);
  if (!first || history.to.getTime() - first.asOf.getTime() < DAY_MS) {
    return { kind: 'no_history', reason: 'No chart yet: this account was first scored less than a day ago.' };
  }
  const day = history.to.toISOString().slice(0, 10);
  return {
    kind: 'chart',
    plan: {
      key: `${report.account.id}:${current.asOf.toISOString()}:${current.modelVersionId}:${day}`,
      input: { title: `${report.account.name} — score, last ${CHART_DAYS} days`, to: history.to, days: CHART_DAYS, cutoffs: history.cutoffs, points: history.points },
      altText: chartAltText({ score: report.snapshot.score, change30d: report.trend?.change30d ?? null, groups: report.groups ?? [], days: CHART_DAYS }),
      filename: `health-${report.account.id}-${day}.png`,
    },
  };
}
