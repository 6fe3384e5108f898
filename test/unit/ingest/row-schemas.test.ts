import { describe, expect, it } from 'vitest';
import { accountRowSchema, describeIssue, metricRowSchema } from '../../../src/ingest/row-schemas.js';

function parseAccount(fields: Record<string, unknown>) {
  const result = accountRowSchema.safeParse({ external_id: 'A-1', name: 'Acme', ...fields });
  return result.success ? { row: result.data } : { error: describeIssue(result.error) };
}

function parseMetric(fields: Record<string, unknown>) {
  const result = metricRowSchema.safeParse({ account: 'A-1', metric: 'nps', value: '1', observed_at: '2026-03-01', ...fields });
  return result.success ? { row: result.data } : { error: describeIssue(result.error) };
}

const utc = (iso: string) => new Date(iso);

describe('account rows', () => {
  it('turns a minimal row into the Prisma shape, fields left out undefined (kept as stored)', () => {
    const result = parseAccount({});
    expect(result).toEqual({ row: { externalId: 'A-1', name: 'Acme' } });
    expect(Object.values(result.row ?? {}).filter((v) => v === undefined)).toHaveLength(9);
  });

  it('leaves a missing, blank or null name undefined: the stored name is kept (a new account needs one, checked when written)', () => {
    for (const name of [undefined, '   ', null]) expect(parseAccount({ name })).toEqual({ row: expect.objectContaining({ name: undefined }) });
  });

  it.each([
    ['external_id', '  A-7  ', 'externalId', 'A-7'],
    ['external_id', 12345, 'externalId', '12345'],
    ['name', ' Acme, Inc. ', 'name', 'Acme, Inc.'],
    ['domain', 'acme.com', 'domain', 'acme.com'],
    ['domain', 'HTTPS://WWW.Acme.COM/pricing?utm=1', 'domain', 'acme.com'],
    ['domain', 'www.acme.co.uk:443', 'domain', 'acme.co.uk'],
    ['domain', 'acme.com.', 'domain', 'acme.com'],
    ['domain', 'münchen.de', 'domain', 'xn--mnchen-3ya.de'],
    ['segment', 'Mid Market', 'segment', 'mid-market'],
    ['segment', 'mid_market', 'segment', 'mid-market'],
    ['segment', 'MID-MARKET', 'segment', 'mid-market'],
    ['segment', 'Midmarket', 'segment', 'mid-market'],
    ['segment', 'Small Business', 'segment', 'smb'],
    ['segment', 'Public  Sector ', 'segment', 'public-sector'],
    ['slack_channel_id', 'C0123ABCDE', 'slackChannelId', 'C0123ABCDE'],
    ['slack_channel_id', 'G0123ABCDEF', 'slackChannelId', 'G0123ABCDEF'],
    ['slack_channel_id', '<#C0123ABCDE|cs-acme>', 'slackChannelId', 'C0123ABCDE'],
    ['owner_slack_user_id', 'W0123ABCDE', 'ownerSlackUserId', 'W0123ABCDE'],
    ['owner_slack_user_id', '<@U0123ABCDE>', 'ownerSlackUserId', 'U0123ABCDE'],
    ['arr', '120000', 'arr', 120000],
    ['arr', '120,000.50', 'arr', 120000.5],
    ['arr', '1,200,000', 'arr', 1_200_000],
    ['arr', 0, 'arr', 0],
    ['arr', '0.5', 'arr', 0.5],
    ['renewal_date', '2028-02-29', 'renewalDate', utc('2028-02-29T00:00:00Z')],
    ['customer_since', '1998-06-01', 'customerSince', utc('1998-06-01T00:00:00Z')],
    ['churned_on', '2026-01-31', 'churnedOn', utc('2026-01-31T00:00:00Z')],
  ])('accepts %s %j as %s %j', (field, input, key, expected) => {
    const result = parseAccount({ [field]: input });
    expect(result).toHaveProperty(['row', key], expected);
  });

  it.each([
    ['domain', ''],
    ['domain', '   '],
    ['arr', null],
    ['renewal_date', ''],
    ['segment', ''],
  ])('treats %s %j as sent empty: null, which clears the stored value', (field, input) => {
    const result = parseAccount({ [field]: input });
    expect(result.error).toBeUndefined();
    expect(Object.values(result.row ?? {}).filter((v) => v === null)).toHaveLength(1);
    expect(Object.values(result.row ?? {}).filter((v) => v === undefined)).toHaveLength(8);
  });

  it.each([
    [{ external_id: '' }, 'external_id is required'],
    [{ external_id: 'x'.repeat(129) }, 'external_id is at most 128 characters (got 129)'],
    [{ name: 'n'.repeat(201) }, 'name is at most 200 characters (got 201)'],
    [{ name: 42 }, 'name must be text, not 42'],
    [{ domain: 'bob@acme.com' }, 'domain "bob@acme.com" looks like an e-mail address; give only the domain, like acme.com'],
    [{ domain: 'acme' }, 'domain "acme" is not a host name like acme.com'],
    [{ domain: 'acme .com' }, 'domain "acme .com" is not a host name like acme.com'],
    [{ domain: '10.0.0.1' }, 'domain "10.0.0.1" is not a host name like acme.com'],
    [{ segment: '???' }, 'segment "???" has no letters or digits'],
    [{ slack_channel_id: '#cs-acme' }, `slack_channel_id "#cs-acme" is not a Slack channel ID like C0123ABCDE (that is a name; copy the ID from the channel's details in Slack)`],
    [{ slack_channel_id: 'c0123abcde' }, 'slack_channel_id "c0123abcde" is not a Slack channel ID like C0123ABCDE (Slack IDs are upper-case: C0123ABCDE)'],
    [{ slack_channel_id: 'U0123ABCDE' }, 'slack_channel_id "U0123ABCDE" is not a Slack channel ID like C0123ABCDE'],
    [{ slack_channel_id: 'C0123' }, 'slack_channel_id "C0123" is not a Slack channel ID like C0123ABCDE'],
    [{ owner_slack_user_id: '@dana' }, `owner_slack_user_id "@dana" is not a Slack user ID like U0123ABCDE (that is a name; copy the ID from the member's details in Slack)`],
    [{ arr: '12k' }, 'arr "12k" is not a number (write the full number, e.g. 12000 rather than 12k)'],
    [{ arr: '$1200' }, 'arr "$1200" is not a number (leave out the currency symbol)'],
    [{ arr: '1,2' }, 'arr "1,2" is not a number (use "." for decimals; "," may only group thousands, as in 1,200,000)'],
    [{ arr: '12,00,000' }, 'arr "12,00,000" is not a number'],
    [{ arr: 'lots' }, 'arr "lots" is not a number'],
    [{ arr: '-5' }, 'arr "-5" must be 0 or more'],
    [{ arr: -5 }, 'arr -5 must be 0 or more'],
    [{ arr: true }, 'arr must be a number, not true'],
    [{ arr: 'Infinity' }, 'arr "Infinity" is not a number (it must be a finite number)'],
    [{ renewal_date: '2026-02-30' }, 'renewal_date "2026-02-30" is not a valid date (February 2026 has 28 days)'],
    [{ renewal_date: '2027-02-29' }, 'renewal_date "2027-02-29" is not a valid date (February 2027 has 28 days)'],
    [{ renewal_date: '2026-13-01' }, 'renewal_date "2026-13-01" is not a valid date (there is no month 13)'],
    [{ renewal_date: '2026-04-00' }, 'renewal_date "2026-04-00" is not a valid date (April 2026 has 30 days)'],
    [{ renewal_date: 'yesterday' }, 'renewal_date "yesterday" is not a valid date (use YYYY-MM-DD)'],
    [{ renewal_date: '31/12/2026' }, 'renewal_date "31/12/2026" is not a valid date (use YYYY-MM-DD)'],
    [{ customer_since: '2026-03-01T00:00:00Z' }, 'customer_since "2026-03-01T00:00:00Z" is not a valid date (use YYYY-MM-DD without a time)'],
    [{ churned_on: '0202-01-01' }, 'churned_on "0202-01-01" is out of range (years 1900–2100)'],
    [{ churned_on: 20260101 }, 'churned_on must be a date like 2026-03-31, not 20260101'],
  ])('refuses %j: %s', (fields, message) => {
    expect(parseAccount(fields)).toEqual({ error: message });
  });

  it('reports every bad field of a row at once, in column order', () => {
    expect(parseAccount({ name: 42, arr: 'abc', renewal_date: '2026-02-30' })).toEqual({
      error: 'name must be text, not 42; arr "abc" is not a number; renewal_date "2026-02-30" is not a valid date (February 2026 has 28 days)',
    });
  });

  it('names unknown keys, suggesting the snake_case column for camelCase', () => {
    expect(parseAccount({ colour: 'red' })).toEqual({ error: 'unknown field "colour"' });
    expect(parseAccount({ renewalDate: '2027-01-01' })).toEqual({ error: 'unknown field "renewalDate" (did you mean "renewal_date"?)' });
  });
});

describe('metric rows', () => {
  it('turns a row into the observation shape', () => {
    expect(parseMetric({ account: ' acme.com ', metric: 'logins_30d', value: '42', observed_at: '2026-03-01' })).toEqual({
      row: { accountRef: 'acme.com', metricKey: 'logins_30d', value: 42, observedAt: utc('2026-03-01T00:00:00Z') },
    });
  });

  it.each([
    ['-3.5', -3.5],
    ['+7', 7],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1,250', 1250],
    [' 12 ', 12],
    [0, 0],
    [-100, -100],
  ])('accepts value %j as %j', (value, expected) => {
    expect(parseMetric({ value })).toHaveProperty(['row', 'value'], expected);
  });

  it.each([
    ['', 'value is required'],
    [null, 'value is required'],
    ['abc', 'value "abc" is not a number'],
    ['NaN', 'value "NaN" is not a number (it must be a finite number)'],
    ['Infinity', 'value "Infinity" is not a number (it must be a finite number)'],
    ['85%', 'value "85%" is not a number (leave out the % sign)'],
    ['1,2', 'value "1,2" is not a number (use "." for decimals; "," may only group thousands, as in 1,200,000)'],
    ['1.2.3', 'value "1.2.3" is not a number'],
    [Number.NaN, 'value must be a finite number'],
    [Number.POSITIVE_INFINITY, 'value must be a finite number'],
    [true, 'value must be a number, not true'],
    [[1], 'value must be a number, not [1]'],
  ])('refuses value %j', (value, message) => {
    expect(parseMetric({ value })).toEqual({ error: message });
  });

  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00.123456Z', '2026-03-01T09:30:00.123Z'],
    ['2026-03-01T09:30:00+02:00', '2026-03-01T07:30:00.000Z'],
    ['2026-03-01T09:30:00-0530', '2026-03-01T15:00:00.000Z'],
    ['2026-03-01 09:30:00+02', '2026-03-01T07:30:00.000Z'],
    ['2026-03-01t09:30:00z', '2026-03-01T09:30:00.000Z'],
    ['2100-12-31T23:59:59Z', '2100-12-31T23:59:59.000Z'],
    ['1970-01-01', '1970-01-01T00:00:00.000Z'],
  ])('accepts observed_at %s', (observedAt, iso) => {
    expect(parseMetric({ observed_at: observedAt })).toHaveProperty(['row', 'observedAt'], new Date(iso));
  });

  it.each([
    ['', 'observed_at is required'],
    ['2026-02-30', 'observed_at "2026-02-30" is not a valid date (February 2026 has 28 days)'],
    ['2026-02-30T10:00:00Z', 'observed_at "2026-02-30T10:00:00Z" is not a valid date (February 2026 has 28 days)'],
    ['2026-13-01', 'observed_at "2026-13-01" is not a valid date (there is no month 13)'],
    ['2026-03-01T10:00:00', 'observed_at "2026-03-01T10:00:00" has a time but no time zone (add Z for UTC or an offset like +02:00)'],
    ['2026-03-01T25:00:00Z', 'observed_at "2026-03-01T25:00:00Z" has an impossible time of day'],
    ['2026-03-01T10:00:00+25:00', 'observed_at "2026-03-01T10:00:00+25:00" has an impossible time-zone offset'],
    ['yesterday', 'observed_at "yesterday" is not an ISO 8601 date or date-time with a time zone (e.g. 2026-03-31 or 2026-03-31T09:00:00Z)'],
    ['1969-12-31', 'observed_at "1969-12-31" is out of range (1970 to 2100)'],
    ['2101-01-01', 'observed_at "2101-01-01" is out of range (1970 to 2100)'],
    ['0075-01-01', 'observed_at "0075-01-01" is out of range (1970 to 2100)'],
    ['1970-01-01T00:30:00+01:00', 'observed_at "1970-01-01T00:30:00+01:00" is out of range (1970 to 2100)'],
    [1767225600000, 'observed_at must be an ISO 8601 date or date-time with a time zone (e.g. 2026-03-31 or 2026-03-31T09:00:00Z), not 1767225600000'],
  ])('refuses observed_at %j', (observedAt, message) => {
    expect(parseMetric({ observed_at: observedAt })).toEqual({ error: message });
  });

  it.each([
    ['orders_30d', null],
    ['x1', null],
    ['Orders_30d', 'metric "Orders_30d" is not a metric key like logins_30d: lower-case letters, digits and underscores, starting with a letter (did you mean "orders_30d"?)'],
    ['Feature Adoption %', 'metric "Feature Adoption %" is not a metric key like logins_30d: lower-case letters, digits and underscores, starting with a letter (did you mean "feature_adoption"?)'],
    ['30d_orders', 'metric "30d_orders" is not a metric key like logins_30d: lower-case letters, digits and underscores, starting with a letter'],
    ['x', 'metric "x" is not a metric key like logins_30d: lower-case letters, digits and underscores, starting with a letter'],
    [`m${'x'.repeat(63)}`, `metric "m${'x'.repeat(63)}" is not a metric key like logins_30d: lower-case letters, digits and underscores, starting with a letter`],
  ])('checks the metric key %j', (metric, message) => {
    const result = parseMetric({ metric });
    if (message === null) expect(result).toHaveProperty(['row', 'metricKey'], metric);
    else expect(result).toEqual({ error: message });
  });

  it('requires every field and refuses unknown keys by name', () => {
    expect(metricRowSchema.safeParse({}).error?.issues.map((i) => i.message)).toEqual(['account is required', 'metric is required', 'value is required', 'observed_at is required']);
    expect(parseMetric({ observedAt: '2026-01-01', note: 'x' })).toEqual({ error: 'unknown field "observedAt" (did you mean "observed_at"?); unknown field "note"' });
  });
});
