// `metric preview KEY ACCOUNT`: the value a definition gives one account now,
// and the events behind it — the same compiled SQL the derivation pass runs.
import type { Prisma } from '../db/database.js';
import { compileDefinition, compileEvidence, windowFor } from './compile-definition.js';
import type { EffectiveDefinition } from './definition-store.js';

export interface MetricPreview {
  value: number | null;
  window: { start: Date; end: Date };
  events: { timestamp: Date; event: string; messageId: string; properties: string }[];
  /** How many events the preview lists at most. */
  limit: number;
}

export async function previewDerivedMetric(prisma: Pick<Prisma, '$queryRaw'>, effective: EffectiveDefinition, accountId: number, asOf: Date, limit = 20): Promise<MetricPreview> {
  const d = effective.definition;
  const [valueRows, events] = await Promise.all([
    prisma.$queryRaw<{ account_id: number; v: number }[]>`SELECT * FROM (${compileDefinition(d, asOf, { kind: 'ids', ids: [accountId] })}) q`,
    prisma.$queryRaw<{ timestamp: Date; event: string; message_id: string; properties: string }[]>`${compileEvidence(d, asOf, accountId, limit)}`,
  ]);
  return {
    value: valueRows[0]?.v ?? null,
    window: windowFor(d.windowDays, asOf),
    events: events.map((e) => ({ timestamp: e.timestamp, event: e.event, messageId: e.message_id, properties: e.properties })),
    limit,
  };
}
