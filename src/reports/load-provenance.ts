// Where each scored value came from: derived from events, or imported (CSV,
// API, a connector's metric). The breakdown says which, since an imported and
// a derived value for the same metric compete and the newer one is in force.
import type { Prisma } from '../db/database.js';
import type { MeasureComponent } from '../scoring/types.js';

export type Provenance = 'events' | 'imported';

/** metric key → provenance of the observation each component shows. */
export async function loadProvenance(prisma: Pick<Prisma, '$queryRaw'>, accountId: number, components: readonly MeasureComponent[]): Promise<Map<string, Provenance>> {
  const shown = components.filter((c) => c.value !== null && c.observedAt !== null && c.metricKey !== 'days_to_renewal' && c.metricKey !== 'csm_sentiment');
  if (shown.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ metric_key: string; source: string }[]>`
    SELECT o.metric_key, o.source FROM metric_observations o
    JOIN unnest(${shown.map((c) => c.metricKey)}::text[], ${shown.map((c) => c.observedAt)}::timestamptz[]) AS s(metric_key, observed_at)
      ON o.metric_key = s.metric_key AND o.observed_at = s.observed_at
    WHERE o.account_id = ${accountId}`;
  return new Map(rows.map((r) => [r.metric_key, r.source === 'events' ? 'events' : 'imported']));
}

/** " (from events)" / " (imported)" after a value, or nothing. */
export function provenanceNote(provenance: Provenance | null | undefined): string {
  return provenance === 'events' ? ' (from events)' : provenance === 'imported' ? ' (imported)' : '';
}

/** A measure with weight 0 and no value: nobody sends data for it (see derive-before-scoring). */
export function isNotInUse(c: Pick<MeasureComponent, 'weight' | 'value'>): boolean {
  return c.weight === 0 && c.value === null;
}
