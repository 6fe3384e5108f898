// Writes validated rows, one batch per transaction: the good rows of a batch
// are kept, a bad row changes nothing, and every rejection says why.
import type { Prisma } from '../db/database.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';
import type { AccountRow, MetricRow } from './row-schemas.js';
import { resolveAccountRefs } from './resolve-accounts.js';
import { OPTIONAL_ACCOUNT_FIELDS, upsertAccounts, type OptionalAccountField } from './write-accounts.js';
import { upsertObservations, type ObservationInput } from './write-observations.js';

export interface RowError<Position> {
  at: Position;
  error: string;
}

export interface BatchOutcome<Position> {
  loaded: number;
  inserted: number;
  updated: number;
  errors: RowError<Position>[];
}

const COLUMN_TO_FIELD: Record<string, OptionalAccountField> = {
  domain: 'domain',
  segment: 'segment',
  slack_channel_id: 'slackChannelId',
  owner_slack_user_id: 'ownerSlackUserId',
  arr: 'arr',
  renewal_date: 'renewalDate',
  customer_since: 'customerSince',
  churned_on: 'churnedOn',
};

export function presentFields(columns: readonly string[] | 'all'): Set<OptionalAccountField> {
  if (columns === 'all') return new Set(OPTIONAL_ACCOUNT_FIELDS);
  return new Set(columns.map((c) => COLUMN_TO_FIELD[c]).filter((f): f is OptionalAccountField => f !== undefined));
}

export async function ingestAccounts<P>(prisma: Prisma, rows: { at: P; row: AccountRow }[], present: ReadonlySet<OptionalAccountField>): Promise<BatchOutcome<P>> {
  if (rows.length === 0) return { loaded: 0, inserted: 0, updated: 0, errors: [] };
  const ids = rows.map((r) => r.row.externalId);
  const existing = await prisma.account.count({ where: { externalId: { in: ids } } });
  const written = await upsertAccounts(prisma, rows.map((r) => r.row), present);
  return { loaded: rows.length, inserted: written - existing, updated: existing, errors: [] };
}

export async function ingestMetrics<P>(prisma: Prisma, rows: { at: P; row: MetricRow }[], source: string): Promise<BatchOutcome<P>> {
  if (rows.length === 0) return { loaded: 0, inserted: 0, updated: 0, errors: [] };
  await ensureCatalogueAndModels(prisma);
  const metricKeys = new Set((await prisma.metricDefinition.findMany({ select: { key: true } })).map((m) => m.key));
  const resolutions = await resolveAccountRefs(prisma, rows.map((r) => r.row.accountRef));
  const errors: RowError<P>[] = [];
  const good: ObservationInput[] = [];
  for (const { at, row } of rows) {
    const resolution = resolutions.get(row.accountRef);
    if (!metricKeys.has(row.metricKey)) errors.push({ at, error: `unknown metric "${row.metricKey}" (add it to the catalogue first; known: ${[...metricKeys].sort().join(', ')})` });
    else if (!resolution || !resolution.ok) errors.push({ at, error: resolution?.ok === false ? resolution.error : `unknown account "${row.accountRef}"` });
    else good.push({ accountId: resolution.accountId, metricKey: row.metricKey, value: row.value, observedAt: row.observedAt });
  }
  const written = await prisma.$transaction((tx) => upsertObservations(tx, good, source), { timeout: 120_000 });
  return { loaded: good.length, ...written, errors };
}
