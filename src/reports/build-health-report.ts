// Everything a CSM sees about one account, as plain data: the latest score and
// why, its trend, the open follow-up, the CSM's own judgement, and what to do.
// Slack views and the terminal renderer are pure functions of this.
import type { Prisma } from '../db/database.js';
import { adviseUndelivered, type UndeliveredAdvice } from '../alerts/delivery-status.js';
import { loadMetricDefinitions } from '../models/model-store.js';
import { loadReportData } from './load-report-data.js';
import { loadProvenance, type Provenance } from './load-provenance.js';
import { buildGroupHistory, reportGroups, versionGroupResolvers, type HistoryPoint, type ReportGroup } from './group-history.js';
import { daysToRenewal } from '../scoring/renewal.js';
import { suggestActions, type SuggestedAction } from '../scoring/suggest-actions.js';
import { computeTrend, type Trend } from '../scoring/trend.js';
import { decodeComponents } from '../scoring/component-codec.js';
import { type BandCutoffs, type MeasureComponent, type MetricDefinition, type SnapshotBand } from '../scoring/types.js';

const DAY_MS = 86_400_000;

export interface ReportComponent extends MeasureComponent {
  label: string;
  unit: string;
  /** Derived from events or imported; absent for values with no observation behind them (renewal countdown). */
  provenance?: Provenance | null;
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
  /** The open alert did not reach Slack: why, and what to do. */
  undelivered?: UndeliveredAdvice | null | undefined;
  daysToRenewal: number | null;
  actions: SuggestedAction[];
  /** Sub-score per group of measures (optional so reports built by hand in tests may leave it out). */
  groups?: ReportGroup[];
  /** The snapshots of the last ~90 days with their groups, oldest first, and the current cut-offs: what the chart draws. */
  history?: { points: HistoryPoint[]; cutoffs: BandCutoffs; to: Date };
}

export async function buildHealthReport(prisma: Prisma, accountId: number, now: Date): Promise<HealthReport> {
  const historyFrom = new Date(now.getTime() - 13 * 7 * DAY_MS);
  const [data, metrics] = await Promise.all([loadReportData(prisma, accountId, now, historyFrom), cachedMetricDefinitions(prisma)]);
  const { account, latest } = data;
  const accountView = {
    id: account.id,
    externalId: account.external_id,
    name: account.name,
    domain: account.domain,
    segment: account.segment,
    ownerSlackUserId: account.owner_slack_user_id,
    slackChannelId: account.slack_channel_id,
    arr: account.arr,
    renewalDate: account.renewal_date,
    churnedOn: account.churned_on,
  };
  const history = data.history.map((h) => ({ asOf: h.as_of, score: h.score }));
  const resolverFor = versionGroupResolvers(data.measure_groups, metrics);
  const points = buildGroupHistory(data.history, resolverFor, toBand);
  const cutoffs = latest ? { healthyMin: latest.healthy_min, watchMin: latest.watch_min, atRiskMin: latest.at_risk_min } : null;
  const lastRun = data.last_run;
  const sentiment = data.sentiment;
  const openAlert = data.open_alert
    ? { id: data.open_alert.id, state: data.open_alert.state, claimedBy: data.open_alert.claimed_by, claimedAt: data.open_alert.claimed_at, createdAt: data.open_alert.created_at }
    : null;
  const decoded = latest ? decodeComponents(latest.components) : [];
  const loaded = await loadProvenance(prisma, accountId, decoded);
  // Said only when it tells something: an account fed by imports alone needs no "(imported)" on every line.
  const provenance = [...loaded.values()].includes('events') ? loaded : new Map<string, Provenance>();
  const components = decoded.map((c) => ({ ...withLabel(c, metrics), provenance: provenance.get(c.metricKey) ?? null }));
  // A churned account's trend is how it went into its last score, not a flat line from then to today.
  const trendEnd = latest && accountView.churnedOn ? latest.as_of : now;
  const trend = latest ? computeTrend(history, trendEnd) : null;
  // An unchanged account is not re-written each run: the latest run that covered it is when it was last scored.
  const scoredAt = latest && lastRun && accountView.churnedOn === null && lastRun.getTime() > latest.as_of.getTime() ? lastRun : latest?.as_of;
  const renewalIn = accountView.renewalDate ? daysToRenewal(accountView.renewalDate, now) : null;
  const freshness = metrics.get('csm_sentiment')?.freshnessDays ?? 30;
  // days_to_renewal is derived from the account's renewal date each run, not observed: it says nothing about data freshness.
  const scored = components.filter((c) => c.observedAt !== null && !c.stale && !(c.metricKey === 'days_to_renewal' && accountView.renewalDate)).map((c) => Date.parse(c.observedAt ?? ''));
  return {
    account: accountView,
    snapshot: latest
      ? {
          asOf: scoredAt ?? latest.as_of,
          score: latest.score,
          band: toBand(latest.band),
          completeness: latest.completeness,
          modelName: latest.model_name,
          modelVersion: latest.version,
        }
      : null,
    trend,
    components,
    newestObservation: scored.length > 0 ? new Date(Math.max(...scored)) : null,
    openAlert,
    undelivered: data.undelivered ? adviseUndelivered(data.undelivered.channel_id, data.undelivered.error) : null,
    sentiment: sentiment
      ? {
          value: sentiment.value,
          note: sentiment.note,
          author: sentiment.author,
          observedAt: sentiment.observed_at,
          expired: now.getTime() - sentiment.observed_at.getTime() > freshness * DAY_MS,
        }
      : null,
    daysToRenewal: renewalIn,
    groups: latest && cutoffs ? reportGroups(components, resolverFor(latest.model_version_id), points, cutoffs, trendEnd) : [],
    history: cutoffs ? { points, cutoffs, to: trendEnd } : undefined,
    // A lost customer has history, not next steps.
    actions: latest && accountView.churnedOn === null
      ? suggestActions({ result: { score: latest.score, band: toBand(latest.band), completeness: latest.completeness, components }, trend, daysToRenewal: renewalIn, metrics })
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

/**
 * Metric labels and freshness change only when someone edits the catalogue; a
 * few seconds' reuse spares every /health a query. Keyed by client, so tests
 * with their own databases never share an entry.
 */
const METRICS_TTL_MS = 10_000;
const metricCache = new WeakMap<Prisma, { at: number; value: Promise<Map<string, MetricDefinition>> }>();
export function cachedMetricDefinitions(prisma: Prisma): Promise<Map<string, MetricDefinition>> {
  const hit = metricCache.get(prisma);
  const at = Date.now();
  if (hit && at - hit.at < METRICS_TTL_MS) return hit.value;
  const value = loadMetricDefinitions(prisma);
  metricCache.set(prisma, { at, value });
  value.catch(() => metricCache.delete(prisma));
  return value;
}
