// Row validation for CSV files and API bodies: raw strings (CSV) or JSON
// values (API) in, typed rows out, with messages that say what to fix.
import { z } from 'zod';
import { METRIC_KEY_PATTERN } from '../scoring/catalogue.js';

export const ACCOUNT_COLUMNS = ['external_id', 'name', 'domain', 'segment', 'slack_channel_id', 'owner_slack_user_id', 'arr', 'renewal_date', 'customer_since', 'churned_on'] as const;
export const METRIC_COLUMNS = ['account', 'metric', 'value', 'observed_at'] as const;

/** Empty string and null mean "absent". */
const blank = (v: unknown) => (v === '' || v === null ? undefined : typeof v === 'string' ? v.trim() : v);

const text = (label: string, max: number) =>
  z.preprocess(blank, z.string({ error: `${label} is required` }).min(1, `${label} is required`).max(max, `${label} is at most ${max} characters`));

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

function isoDate(label: string) {
  return z.string({ error: `${label} must be a date like 2026-03-31` }).transform((value, ctx) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
    if (!match || !date || date.getUTCMonth() !== Number(match[2]) - 1 || date.getUTCDate() !== Number(match[3])) {
      ctx.addIssue({ code: 'custom', message: `${label} "${value}" is not a valid date (use YYYY-MM-DD)` });
      return z.NEVER;
    }
    return date;
  });
}

function number(label: string) {
  return z.union([z.number(), z.string()], { error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be a number`) }).transform((value, ctx) => {
    const parsed = typeof value === 'number' ? value : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(parsed)) {
      ctx.addIssue({ code: 'custom', message: `${label} "${String(value)}" is not a number` });
      return z.NEVER;
    }
    return parsed;
  });
}

function normaliseDomain(value: string): string {
  return value.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[/?#].*$/, '');
}

function normaliseSegment(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

export const accountRowSchema = z
  .object({
    external_id: text('external_id', 128),
    name: text('name', 200),
    domain: optional(
      z.string().transform(normaliseDomain).pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'domain must be a host name like acme.com')),
    ),
    segment: optional(z.string().max(60, 'segment is at most 60 characters').transform(normaliseSegment)),
    slack_channel_id: optional(z.string().regex(/^[CG][A-Z0-9]{8,}$/, 'slack_channel_id must be a channel id like C0123ABCDE')),
    owner_slack_user_id: optional(z.string().regex(/^[UW][A-Z0-9]{8,}$/, 'owner_slack_user_id must be a user id like U0123ABCDE')),
    arr: optional(number('arr').pipe(z.number().min(0, 'arr must be 0 or more'))),
    renewal_date: optional(isoDate('renewal_date')),
    customer_since: optional(isoDate('customer_since')),
    churned_on: optional(isoDate('churned_on')),
  })
  .strict()
  .transform((r) => ({
    externalId: r.external_id,
    name: r.name,
    domain: r.domain ?? null,
    segment: r.segment ?? null,
    slackChannelId: r.slack_channel_id ?? null,
    ownerSlackUserId: r.owner_slack_user_id ?? null,
    arr: r.arr ?? null,
    renewalDate: r.renewal_date ?? null,
    customerSince: r.customer_since ?? null,
    churnedOn: r.churned_on ?? null,
  }));

export type AccountRow = z.output<typeof accountRowSchema>;

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);

export const metricRowSchema = z
  .object({
    account: text('account', 200),
    metric: z.preprocess(blank, z.string({ error: 'metric is required' }).regex(METRIC_KEY_PATTERN, 'metric must be a metric key like logins_30d')),
    value: z.preprocess(blank, number('value')),
    observed_at: z.preprocess(
      blank,
      z.string({ error: 'observed_at is required' }).transform((value, ctx) => {
        const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
        const valid = dateOnly || /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
        const date = valid ? new Date(dateOnly ? `${value}T00:00:00Z` : value.replace(' ', 'T')) : null;
        const roundTrips = date !== null && !Number.isNaN(date.getTime()) && (!dateOnly || date.toISOString().startsWith(value));
        if (!date || !roundTrips || date.getTime() < MIN_TIME || date.getTime() >= MAX_TIME) {
          ctx.addIssue({ code: 'custom', message: `observed_at "${value}" is not an ISO 8601 date or date-time with a time zone (e.g. 2026-03-31 or 2026-03-31T09:00:00Z) between 1970 and 2100` });
          return z.NEVER;
        }
        return date;
      }),
    ),
  })
  .strict()
  .transform((r) => ({ accountRef: r.account, metricKey: r.metric, value: r.value, observedAt: r.observed_at }));

export type MetricRow = z.output<typeof metricRowSchema>;

/** The first issue, phrased for a person: unknown keys named, paths prefixed. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid row';
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
