// Bulk account upsert: one statement per batch. Re-import updates by
// external_id; only the columns the file carries are written, so a CSV without
// an `arr` column never wipes the ARR already stored.
import type { Prisma } from '../db/database.js';

type Db = Pick<Prisma, '$executeRaw'>;

export interface AccountInput {
  externalId: string;
  name: string;
  domain?: string | null;
  segment?: string | null;
  slackChannelId?: string | null;
  ownerSlackUserId?: string | null;
  arr?: number | null;
  renewalDate?: Date | null;
  customerSince?: Date | null;
  churnedOn?: Date | null;
}

export const OPTIONAL_ACCOUNT_FIELDS = ['domain', 'segment', 'slackChannelId', 'ownerSlackUserId', 'arr', 'renewalDate', 'customerSince', 'churnedOn'] as const;
export type OptionalAccountField = (typeof OPTIONAL_ACCOUNT_FIELDS)[number];

/** Upserts `rows`; `present` names the optional fields to write (others are kept as stored). A later duplicate external_id wins. */
export async function upsertAccounts(db: Db, rows: readonly AccountInput[], present: ReadonlySet<OptionalAccountField>): Promise<number> {
  const unique = [...new Map(rows.map((r) => [r.externalId, r])).values()];
  if (unique.length === 0) return 0;
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
  return unique.length;
}
