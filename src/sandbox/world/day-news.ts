// What happens in the sandbox's invented world on one simulated day, pure: a
// couple of healthy accounts (with a channel, so the alert is seen) have a bad
// day — usage and satisfaction fall to their segment's poor levels, tickets
// pile up — and one account with an open alert recovers to good levels. The
// same day number always brings the same news, so a session can be replayed.
import { LEVELS, type Segment } from '../../demo/generate-observations.js';

export interface NewsCandidate {
  accountId: number;
  externalId: string;
  name: string;
  segment: string | null;
  band: string | null;
  hasChannel: boolean;
  hasOpenAlert: boolean;
}

export interface AccountNews {
  accountId: number;
  externalId: string;
  name: string;
  kind: 'bad_day' | 'recovery';
  values: { metricKey: string; value: number }[];
}

/** The measures a bad day hits: what a CSM hears as "they stopped using it and they are unhappy". */
export const BAD_DAY_METRICS = ['logins_30d', 'feature_adoption_pct', 'open_support_tickets', 'csat', 'complaints_90d', 'orders_30d'] as const;
const RECOVERY_METRICS = Object.keys(LEVELS).filter((key) => key !== 'csm_sentiment');

const BAD_DAYS_PER_DAY = 2;

export function planDayNews(candidates: readonly NewsCandidate[], day: number): AccountNews[] {
  const sorted = [...candidates].sort((a, b) => a.externalId.localeCompare(b.externalId));
  const healthy = sorted.filter((c) => c.hasChannel && !c.hasOpenAlert && (c.band === 'healthy' || c.band === 'watch'));
  const alerting = sorted.filter((c) => c.hasOpenAlert);
  const news: AccountNews[] = [];
  for (const c of pick(healthy, BAD_DAYS_PER_DAY, day)) {
    news.push({ accountId: c.accountId, externalId: c.externalId, name: c.name, kind: 'bad_day', values: BAD_DAY_METRICS.map((m) => ({ metricKey: m, value: level(m, c.segment, 'poor') })) });
  }
  // Every other day someone's follow-up pays off.
  if (day % 2 === 0) {
    for (const c of pick(alerting, 1, day)) {
      news.push({ accountId: c.accountId, externalId: c.externalId, name: c.name, kind: 'recovery', values: RECOVERY_METRICS.map((m) => ({ metricKey: m, value: level(m, c.segment, 'good') })) });
    }
  }
  return news;
}

/** `count` items spread over the list, starting at a place that moves with the day. */
function pick<T>(items: readonly T[], count: number, day: number): T[] {
  if (items.length === 0) return [];
  const start = (Math.imul(day + 1, 2654435761) >>> 0) % items.length;
  const step = Math.max(1, Math.floor(items.length / count));
  const chosen = new Set<T>();
  for (let i = 0; i < count && chosen.size < items.length; i += 1) {
    const item = items[(start + i * step) % items.length];
    if (item !== undefined) chosen.add(item);
  }
  return [...chosen];
}

function level(metricKey: string, segment: string | null, which: 'poor' | 'good'): number {
  const levels = LEVELS[metricKey];
  if (!levels) throw new Error(`no demo levels for ${metricKey}`);
  const known: Segment = segment === 'enterprise' || segment === 'smb' ? segment : 'mid-market';
  const [poor, good] = levels[known];
  return which === 'poor' ? poor : good;
}
