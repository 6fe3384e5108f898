// Bulk account upsert: one statement per batch (per set of fields sent).
// Re-import updates by external_id; only the fields a row carries are written:
// a field left out (undefined) keeps the stored value, null clears it. So a CSV
// without an `arr` column, or an API item without "arr", never wipes the ARR.
import type { Prisma } from '../db/database.js';

type Db = Pick<Prisma, '$executeRaw'>;

export interface AccountInput {
  externalId: string;
  name: string;
  domain?: string | null | undefined;
  segment?: string | null | undefined;
  slackChannelId?: string | null | undefined;
  ownerSlackUserId?: string | null | undefined;
  arr?: number | null | undefined;
  renewalDate?: Date | null | undefined;
  customerSince?: Date | null | undefined;
  churnedOn?: Date | null | undefined;
}

export const OPTIONAL_ACCOUNT_FIELDS = ['domain', 'segment', 'slackChannelId', 'ownerSlackUserId', 'arr', 'renewalDate', 'customerSince', 'churnedOn'] as const;
export type OptionalAccountField = (typeof OPTIONAL_ACCOUNT_FIELDS)[number];

/**
 * Upserts `rows`, writing each row's sent fields only. Rows with the same
 * external_id are merged in order (a later value wins, a field only an earlier
 * row sent is kept), as if they had been written one after the other.
 * Callers wanting all-or-nothing pass a transaction: rows sending different
 * field sets take one statement each.
 */
export async function upsertAccounts(db: Db, rows: readonly AccountInput[]): Promise<number> {
  const merged = new Map<string, AccountInput>();
  for (const row of rows) merged.set(row.externalId, { ...merged.get(row.externalId), ...sentFields(row) });
  const groups = new Map<string, AccountInput[]>();
  for (const row of merged.values()) {
    const signature = OPTIONAL_ACCOUNT_FIELDS.map((f) => (row[f] === undefined ? '-' : 'x')).join('');
    groups.set(signature, [...(groups.get(signature) ?? []), row]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (first) await upsertGroup(db, group, new Set(OPTIONAL_ACCOUNT_FIELDS.filter((f) => first[f] !== undefined)));
  }
  return merged.size;
}

function sentFields(row: AccountInput): AccountInput {
  const out: AccountInput = { externalId: row.externalId, name: row.name };
  for (const field of OPTIONAL_ACCOUNT_FIELDS) if (row[field] !== undefined) Object.assign(out, { [field]: row[field] });
  return out;
}

async function upsertGroup(db: Db, unique: readonly AccountInput[], present: ReadonlySet<OptionalAccountField>): Promise<void> {
  const col = <K extends OptionalAccountField>(k: K) => unique.map((r) => r[k] ?? null);
  const has = (k: OptionalAccountField) => present.has(k);
  await db.$executeRaw`
    INSERT INTO accounts (external_id, name, name_key, domain, segment, slack_channel_id, owner_slack_user_id, arr, renewal_date, customer_since, churned_on, updated_at)
    SELECT t.e, t.n, lower(t.n), t.d, t.s, t.c, t.o, t.a, t.r, t.cs, t.ch, now()
    FROM unnest(${unique.map((r) => r.externalId)}::text[], ${unique.map((r) => r.name)}::text[], ${col('domain')}::text[], ${col('segment')}::text[],
                ${col('slackChannelId')}::text[], ${col('ownerSlackUserId')}::text[], ${col('arr')}::float8[], ${col('renewalDate')}::date[],
                ${col('customerSince')}::date[], ${col('churnedOn')}::date[]) AS t(e, n, d, s, c, o, a, r, cs, ch)
    ON CONFLICT (external_id) DO UPDATE SET
      name = EXCLUDED.name, name_key = EXCLUDED.name_key, updated_at = now(),
      domain = CASE WHEN ${has('domain')} THEN EXCLUDED.domain ELSE accounts.domain END,
      segment = CASE WHEN ${has('segment')} THEN EXCLUDED.segment ELSE accounts.segment END,
      slack_channel_id = CASE WHEN ${has('slackChannelId')} THEN EXCLUDED.slack_channel_id ELSE accounts.slack_channel_id END,
      owner_slack_user_id = CASE WHEN ${has('ownerSlackUserId')} THEN EXCLUDED.owner_slack_user_id ELSE accounts.owner_slack_user_id END,
      arr = CASE WHEN ${has('arr')} THEN EXCLUDED.arr ELSE accounts.arr END,
      renewal_date = CASE WHEN ${has('renewalDate')} THEN EXCLUDED.renewal_date ELSE accounts.renewal_date END,
      customer_since = CASE WHEN ${has('customerSince')} THEN EXCLUDED.customer_since ELSE accounts.customer_since END,
      churned_on = CASE WHEN ${has('churnedOn')} THEN EXCLUDED.churned_on ELSE accounts.churned_on END`;
}
