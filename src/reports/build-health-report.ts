// Everything a CSM sees about one account, as plain data: the latest score and
// why, its trend, the open follow-up, the CSM's own judgement, and what to do.
// Slack views and the terminal renderer are pure functions of this.
import type { Prisma } from '../db/database.js';
import { loadMetricDefinitions } from '../models/model-store.js';
import { suggestActions, type SuggestedAction } from '../scoring/suggest-actions.js';
import { computeTrend, type Trend } from '../scoring/trend.js';
import { decodeComponents } from '../scoring/component-codec.js';
import { type MeasureComponent, type MetricDefinition, type SnapshotBand } from '../scoring/types.js';

const DAY_MS = 86_400_000;

export interface ReportComponent extends MeasureComponent {
  label: string;
  unit: string;
}

export interface HealthReport {
  account: {
    id: number;
    externalId: string;
    name: string;
    domain: string | null;
    segment: string | null;
    ownerSlackUserId: string | null;
    slackChannelId: string | null;
    arr: number | null;
    renewalDate: Date | null;
    churnedOn: Date | null;
  };
  snapshot: { asOf: Date; score: number | null; band: SnapshotBand; completeness: number; modelName: string; modelVersion: number } | null;
  trend: Trend | null;
  components: ReportComponent[];
  /** Newest observation among scored measures, for "data as of". */
  newestObservation: Date | null;
  openAlert: { id: number; state: string; claimedBy: string | null; claimedAt: Date | null; createdAt: Date } | null;
  sentiment: { value: number; note: string | null; author: string | null; observedAt: Date; expired: boolean } | null;
  daysToRenewal: number | null;
  actions: SuggestedAction[];
}

export async function buildHealthReport(prisma: Prisma, accountId: number, now: Date): Promise<HealthReport> {
  const historyFrom = new Date(now.getTime() - 13 * 7 * DAY_MS);
  const [account, latest, history, before, lastRun, openAlert, sentiment, metrics] = await Promise.all([
    prisma.account.findUniqueOrThrow({ where: { id: accountId } }),
    prisma.scoreSnapshot.findFirst({
      where: { accountId, asOf: { lte: now } },
      orderBy: { asOf: 'desc' },
      select: { asOf: true, score: true, band: true, completeness: true, components: true, modelVersion: { select: { version: true, model: { select: { name: true } } } } },
    }),
    // Only scores for the trend: components are read for the latest snapshot alone.
    prisma.scoreSnapshot.findMany({ where: { accountId, asOf: { lte: now, gte: historyFrom } }, select: { asOf: true, score: true } }),
    // Snapshots are written when something changes, so the score in force when
    // the window opens may be older than the window.
    prisma.scoreSnapshot.findFirst({ where: { accountId, asOf: { lt: historyFrom } }, orderBy: { asOf: 'desc' }, select: { asOf: true, score: true } }),
    prisma.scoreRun.findFirst({ where: { status: 'completed', trigger: { not: 'backfill' }, asOf: { lte: now } }, orderBy: { asOf: 'desc' }, select: { asOf: true } }),
    prisma.alert.findFirst({ where: { accountId, openKey: { not: null } }, select: { id: true, state: true, claimedBy: true, claimedAt: true, createdAt: true } }),
    prisma.metricObservation.findFirst({ where: { accountId, metricKey: 'csm_sentiment', observedAt: { lte: now } }, orderBy: { observedAt: 'desc' } }),
    loadMetricDefinitions(prisma),
  ]);
  const components = latest ? decodeComponents(latest.components).map((c) => withLabel(c, metrics)) : [];
  const trend = latest ? computeTrend([...(before ? [before] : []), ...history], now) : null;
  // An unchanged account is not re-written each run: the latest run that covered it is when it was last scored.
  const scoredAt = latest && lastRun && account.churnedOn === null && lastRun.asOf.getTime() > latest.asOf.getTime() ? lastRun.asOf : latest?.asOf;
  const daysToRenewal = account.renewalDate ? Math.round((account.renewalDate.getTime() - now.getTime()) / DAY_MS) : null;
  const freshness = metrics.get('csm_sentiment')?.freshnessDays ?? 30;
  const scored = components.filter((c) => c.observedAt !== null && !c.stale).map((c) => Date.parse(c.observedAt ?? ''));
  return {
    account: {
      id: account.id,
      externalId: account.externalId,
      name: account.name,
      domain: account.domain,
      segment: account.segment,
      ownerSlackUserId: account.ownerSlackUserId,
      slackChannelId: account.slackChannelId,
      arr: account.arr,
      renewalDate: account.renewalDate,
      churnedOn: account.churnedOn,
    },
    snapshot: latest
      ? {
          asOf: scoredAt ?? latest.asOf,
          score: latest.score,
          band: toBand(latest.band),
          completeness: latest.completeness,
          modelName: latest.modelVersion.model.name,
          modelVersion: latest.modelVersion.version,
        }
      : null,
    trend,
    components,
    newestObservation: scored.length > 0 ? new Date(Math.max(...scored)) : null,
    openAlert,
    sentiment: sentiment
      ? {
          value: sentiment.value,
          note: sentiment.note,
          author: sentiment.authorSlackUserId,
          observedAt: sentiment.observedAt,
          expired: now.getTime() - sentiment.observedAt.getTime() > freshness * DAY_MS,
        }
      : null,
    daysToRenewal,
    actions: latest
      ? suggestActions({ result: { score: latest.score, band: toBand(latest.band), completeness: latest.completeness, components }, trend, daysToRenewal, metrics })
      : [],
  };
}

function withLabel(component: MeasureComponent, metrics: ReadonlyMap<string, MetricDefinition>): ReportComponent {
  const metric = metrics.get(component.metricKey);
  return { ...component, label: metric?.label ?? component.metricKey, unit: metric?.unit ?? '' };
}

const BANDS: readonly SnapshotBand[] = ['healthy', 'watch', 'at_risk', 'critical', 'insufficient_data'];
export function toBand(value: string): SnapshotBand {
  return BANDS.find((b) => b === value) ?? 'insufficient_data';
}
