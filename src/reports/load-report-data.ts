// Everything one breakdown needs about an account, in ONE round trip: under 50
// concurrent /health commands the eight separate Prisma queries this replaced
// queued on the pool and kept the event loop busy enough to delay Slack's acks.
import { z } from 'zod';
import type { Prisma } from '../db/database.js';

export class AccountNotFoundError extends Error {
  constructor(readonly accountId: number) {
    super(`account ${accountId} does not exist`);
    this.name = 'AccountNotFoundError';
  }
}

/** PostgreSQL's JSON timestamps ("2026-11-20T10:00:00+00:00", "2027-01-01") as Dates. */
const date = z.string().transform((s, ctx) => {
  const parsed = new Date(s);
  if (Number.isNaN(parsed.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${s}` });
    return z.NEVER;
  }
  return parsed;
});

const reportDataSchema = z.object({
  account: z
    .object({
      id: z.number(),
      external_id: z.string(),
      name: z.string(),
      domain: z.string().nullable(),
      segment: z.string().nullable(),
      owner_slack_user_id: z.string().nullable(),
      slack_channel_id: z.string().nullable(),
      arr: z.number().nullable(),
      renewal_date: date.nullable(),
      churned_on: date.nullable(),
    })
    .nullable(),
  latest: z
    .object({
      as_of: date, score: z.number().nullable(), band: z.string(), completeness: z.number(), components: z.unknown(), version: z.number(), model_name: z.string(),
      model_version_id: z.number(), healthy_min: z.number(), watch_min: z.number(), at_risk_min: z.number(),
    })
    .nullable(),
  history: z.array(z.object({ as_of: date, score: z.number().nullable(), band: z.string(), model_version_id: z.number(), version: z.number(), components: z.unknown() })),
  /** Group overrides of the model versions in the history (measures without one take their metric's category). */
  measure_groups: z.array(z.object({ version_id: z.number(), metric_key: z.string(), group: z.string() })),
  last_run: date.nullable(),
  open_alert: z.object({ id: z.number(), state: z.string(), claimed_by: z.string().nullable(), claimed_at: date.nullable(), created_at: date }).nullable(),
  sentiment: z.object({ value: z.number(), note: z.string().nullable(), author: z.string().nullable(), observed_at: date }).nullable(),
  /** The open alert, when its Slack post failed for good or it had no channel to go to. */
  undelivered: z.object({ channel_id: z.string().nullable(), error: z.string().nullable() }).nullable(),
});
export type ReportData = z.infer<typeof reportDataSchema> & { account: NonNullable<z.infer<typeof reportDataSchema>['account']> };

/**
 * The account, its newest snapshot at or before `now` (with components), the
 * snapshots since `historyFrom` plus the one in force when that window opened
 * (snapshots are change points) with their components and model versions (for
 * group sub-scores and the chart), the group overrides of those versions, the latest full run, its open alert and the
 * newest CSM sentiment.
 */
export async function loadReportData(prisma: Prisma, accountId: number, now: Date, historyFrom: Date): Promise<ReportData> {
  const [row] = await prisma.$queryRaw<{ doc: string }[]>`
    SELECT json_build_object(
      'account', (SELECT row_to_json(a) FROM (
        SELECT id, external_id, name, domain, segment, owner_slack_user_id, slack_channel_id, arr, renewal_date, churned_on
        FROM accounts WHERE id = ${accountId}) a),
      'latest', (SELECT row_to_json(s) FROM (
        SELECT s.as_of, s.score, s.band, s.completeness, s.components, v.version, m.name AS model_name,
               s.model_version_id, v.healthy_min, v.watch_min, v.at_risk_min
        FROM score_snapshots s JOIN health_model_versions v ON v.id = s.model_version_id JOIN health_models m ON m.id = v.model_id
        WHERE s.account_id = ${accountId} AND s.as_of <= ${now} ORDER BY s.as_of DESC LIMIT 1) s),
      'history', (SELECT coalesce(json_agg(h ORDER BY h.as_of), '[]'::json) FROM (
        SELECT p.as_of, p.score, p.band, p.model_version_id, v.version, p.components FROM (
          (SELECT as_of, score, band, model_version_id, components FROM score_snapshots WHERE account_id = ${accountId} AND as_of < ${historyFrom} ORDER BY as_of DESC LIMIT 1)
          UNION ALL
          SELECT as_of, score, band, model_version_id, components FROM score_snapshots WHERE account_id = ${accountId} AND as_of >= ${historyFrom} AND as_of <= ${now}) p
        JOIN health_model_versions v ON v.id = p.model_version_id) h),
      'measure_groups', (SELECT coalesce(json_agg(g), '[]'::json) FROM (
        SELECT version_id, metric_key, "group" FROM model_measures
        WHERE "group" IS NOT NULL AND version_id IN (SELECT DISTINCT model_version_id FROM score_snapshots WHERE account_id = ${accountId} AND as_of <= ${now})) g),
      'last_run', (SELECT as_of FROM score_runs
        WHERE status = 'completed' AND mode IS NOT NULL AND as_of <= ${now} ORDER BY as_of DESC LIMIT 1),
      'open_alert', (SELECT row_to_json(al) FROM (
        SELECT id, state, claimed_by, claimed_at, created_at FROM alerts WHERE open_key = ${accountId}) al),
      'undelivered', (SELECT row_to_json(d) FROM (
        SELECT al.slack_channel_id AS channel_id, x.last_error AS error FROM alerts al
        LEFT JOIN LATERAL (SELECT last_error FROM slack_outbox WHERE alert_id = al.id AND kind = 'post' AND status = 'failed' ORDER BY id DESC LIMIT 1) x ON true
        WHERE al.open_key = ${accountId} AND (al.slack_channel_id IS NULL OR x.last_error IS NOT NULL)) d),
      'sentiment', (SELECT row_to_json(o) FROM (
        SELECT value, note, author_slack_user_id AS author, observed_at FROM metric_observations
        WHERE account_id = ${accountId} AND metric_key = 'csm_sentiment' AND observed_at <= ${now} ORDER BY observed_at DESC LIMIT 1) o)
    )::text AS doc`;
  const data = reportDataSchema.parse(JSON.parse(row?.doc ?? '{}'));
  if (!data.account) throw new AccountNotFoundError(accountId);
  return { ...data, account: data.account };
}
