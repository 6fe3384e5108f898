// Row validation for CSV files and API bodies: raw strings (CSV) or JSON
// values (API) in, typed rows out, with messages that say what to fix. The
// same schema serves both, so a row means the same whichever way it arrives.
import { z } from 'zod';
import { parseAliasList } from '../accounts/aliases.js';
import {
  calendarDate,
  domain,
  finiteNumber,
  identifier,
  instant,
  metricKey,
  nonNegativeNumber,
  optionalField,
  requiredField,
  segment,
  slackId,
  text,
} from './parse-fields.js';

export const ACCOUNT_COLUMNS = ['external_id', 'name', 'domain', 'segment', 'slack_channel_id', 'owner_slack_user_id', 'arr', 'renewal_date', 'customer_since', 'churned_on', 'aliases'] as const;
/** `name` is needed only to create an account (checked when written); an update may leave it out. */
export const ACCOUNT_REQUIRED_COLUMNS = ['external_id'] as const;
export const METRIC_COLUMNS = ['account', 'metric', 'value', 'observed_at'] as const;
export const OUTCOME_COLUMNS = ['account', 'renewal_date', 'outcome', 'arr'] as const;
export const OUTCOME_REQUIRED_COLUMNS = ['account', 'renewal_date', 'outcome'] as const;
export const OUTCOMES = ['renewed', 'churned'] as const;
export type OutcomeKind = (typeof OUTCOMES)[number];

/** Contract dates: a customer since 1950 is plausible, a year 0202 is a typo. */
const ACCOUNT_YEARS = { min: 1900, max: 2100 };

/** "did you mean" for the usual near misses: camelCase (externalId) and spaces or dashes (Observed At). */
export function suggestColumn(name: string, known: readonly string[]): string | undefined {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return snake !== name && known.includes(snake) ? snake : undefined;
}

/** Messages for the object itself: unknown keys (named, with a suggestion) and non-objects. */
function objectErrors(known: readonly string[]) {
  return (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const suggestion = suggestColumn(key, known);
          return `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
        })
        .join('; ');
    }
    if (issue.code === 'invalid_type') return `expected an object with fields ${known.join(', ')}`;
    return undefined;
  };
}

export const accountRowSchema = z
  .strictObject(
    {
      external_id: requiredField('external_id', identifier('external_id', 128)),
      name: optionalField(text('name', 200)),
      domain: optionalField(domain),
      segment: optionalField(segment),
      slack_channel_id: optionalField(slackId('slack_channel_id', 'channel')),
      owner_slack_user_id: optionalField(slackId('owner_slack_user_id', 'user')),
      arr: optionalField(nonNegativeNumber('arr')),
      renewal_date: optionalField(calendarDate('renewal_date', ACCOUNT_YEARS)),
      customer_since: optionalField(calendarDate('customer_since', ACCOUNT_YEARS)),
      churned_on: optionalField(calendarDate('churned_on', ACCOUNT_YEARS)),
      aliases: optionalField(parseAliasList),
    },
    { error: objectErrors(ACCOUNT_COLUMNS) },
  )
  // A key left out stays undefined (the stored value is kept); a blank or null
  // one is null (the stored value is cleared). A CSV row has every header
  // column, so columns left out of the file keep their stored values.
  .transform((r) => ({
    externalId: r.external_id,
    // A name cannot be cleared: left out, blank or null, the stored name is kept (and a new account is refused).
    name: r.name ?? undefined,
    domain: r.domain,
    segment: r.segment,
    slackChannelId: r.slack_channel_id,
    ownerSlackUserId: r.owner_slack_user_id,
    arr: r.arr,
    renewalDate: r.renewal_date,
    customerSince: r.customer_since,
    churnedOn: r.churned_on,
    // Left out: the stored aliases stay; a value (even blank) is the account's whole alias list.
    aliases: r.aliases,
  }));

/** An account as the Prisma model names it; optional fields: undefined = not sent (keep), null = clear. */
export type AccountRow = z.output<typeof accountRowSchema>;

export const metricRowSchema = z
  .strictObject(
    {
      account: requiredField('account', identifier('account', 200)),
      metric: requiredField('metric', metricKey),
      value: requiredField('value', finiteNumber('value')),
      observed_at: requiredField('observed_at', instant('observed_at')),
    },
    { error: objectErrors(METRIC_COLUMNS) },
  )
  .transform((r) => ({ accountRef: r.account, metricKey: r.metric, value: r.value, observedAt: r.observed_at }));

/** One observation; accountRef is matched to an account's external_id, domain or name when written. */
export type MetricRow = z.output<typeof metricRowSchema>;

const outcomeKind = (value: unknown): { ok: true; value: OutcomeKind } | { ok: false; error: string } => {
  const word = typeof value === 'string' ? value.toLowerCase() : value;
  const match = OUTCOMES.find((o) => o === word);
  return match ? { ok: true, value: match } : { ok: false, error: `outcome ${JSON.stringify(value)} must be "renewed" or "churned"` };
};

/** What happened at one renewal date. */
export const outcomeRowSchema = z
  .strictObject(
    {
      account: requiredField('account', identifier('account', 200)),
      renewal_date: requiredField('renewal_date', calendarDate('renewal_date', ACCOUNT_YEARS)),
      outcome: requiredField('outcome', outcomeKind),
      arr: optionalField(nonNegativeNumber('arr')),
    },
    { error: objectErrors(OUTCOME_COLUMNS) },
  )
  .transform((r) => ({ accountRef: r.account, renewalDate: r.renewal_date, outcome: r.outcome, arr: r.arr ?? null }));

/** One renewal outcome; accountRef is matched like a metric row's account. */
export type OutcomeRow = z.output<typeof outcomeRowSchema>;

/** Every problem with a row, phrased for a person, in column order. */
export function describeIssue(error: z.ZodError): string {
  const messages = error.issues.map((issue) => issue.message);
  return messages.length > 0 ? messages.join('; ') : 'invalid row';
}
