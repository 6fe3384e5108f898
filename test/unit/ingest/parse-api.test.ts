import { describe, expect, it } from 'vitest';
import { MAX_API_ITEMS, parseAccountsBody, parseMetricsBody } from '../../../src/ingest/parse-api.js';

const metric = { account: 'X-1', metric: 'logins_30d', value: 42, observed_at: '2026-11-01T00:00:00Z' };

describe('parseMetricsBody', () => {
  it('keeps the good items by index and explains each bad one', () => {
    const result = parseMetricsBody([
      metric,
      { ...metric, value: '30', observed_at: '2026-11-01' },
      { ...metric, value: true },
      { ...metric, colour: 'red' },
      { ...metric, observedAt: '2026-11-01' },
      'not an object',
      null,
      [metric],
      { ...metric, value: null, metric: 'Logins 30d' },
    ]);
    if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
    expect(result.valid).toEqual([
      { at: 0, row: { accountRef: 'X-1', metricKey: 'logins_30d', value: 42, observedAt: new Date('2026-11-01T00:00:00Z') } },
      { at: 1, row: { accountRef: 'X-1', metricKey: 'logins_30d', value: 30, observedAt: new Date('2026-11-01T00:00:00Z') } },
    ]);
    const fields = 'expected an object with fields account, metric, value, observed_at';
    expect(result.errors).toEqual([
      { at: 2, error: 'value must be a number, not true' },
      { at: 3, error: 'unknown field "colour"' },
      { at: 4, error: 'unknown field "observedAt" (did you mean "observed_at"?)' },
      { at: 5, error: `${fields}, got a string` },
      { at: 6, error: `${fields}, got null` },
      { at: 7, error: `${fields}, got an array` },
      { at: 8, error: 'metric "Logins 30d" is not a metric key like logins_30d: lower-case letters, digits and underscores, starting with a letter (did you mean "logins_30d"?); value is required' },
    ]);
  });

  it.each([
    [{ items: [metric] }, 'expected a JSON array of metric observations {account, metric, value, observed_at}'],
    ['[]', 'expected a JSON array of metric observations {account, metric, value, observed_at}'],
    [null, 'expected a JSON array of metric observations {account, metric, value, observed_at}'],
  ])('refuses a body that is not an array: %j', (body, error) => {
    expect(parseMetricsBody(body)).toEqual({ kind: 'not-array', error });
  });

  it('accepts exactly the limit and refuses one more before validating anything', () => {
    expect(MAX_API_ITEMS).toBe(10_000);
    const atLimit = parseMetricsBody(Array.from({ length: MAX_API_ITEMS }, () => metric));
    expect(atLimit.kind === 'ok' && atLimit.valid.length).toBe(MAX_API_ITEMS);
    expect(parseMetricsBody(Array.from({ length: MAX_API_ITEMS + 1 }, () => 'junk'))).toEqual({ kind: 'too-many', error: 'at most 10000 items per call (got 10001)' });
    expect(parseMetricsBody([metric, metric, metric], 2)).toEqual({ kind: 'too-many', error: 'at most 2 items per call (got 3)' });
  });

  it('answers an empty array with nothing to do', () => {
    expect(parseMetricsBody([])).toEqual({ kind: 'ok', valid: [], errors: [] });
  });
});

describe('parseAccountsBody', () => {
  it('takes JSON numbers and nulls where the CSV has text and blanks', () => {
    const result = parseAccountsBody([
      { external_id: 1001, name: 'Xylo Ltd', domain: 'https://xylo.com', segment: 'SMB', arr: 12000, renewal_date: null, churned_on: '' },
      { external_id: 'X-2', name: 'Yak Inc', arr: '1e6' },
      { external_id: 'X-3', name: 'Zed', arr: -1, renewal_date: '2026-02-30', slackChannelId: 'C0123ABCDE' },
    ]);
    if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
    expect(result.valid).toEqual([
      { at: 0, row: expect.objectContaining({ externalId: '1001', domain: 'xylo.com', segment: 'smb', arr: 12000, renewalDate: null, churnedOn: null }) },
      { at: 1, row: expect.objectContaining({ externalId: 'X-2', arr: 1_000_000 }) },
    ]);
    expect(result.errors).toEqual([
      { at: 2, error: 'arr -1 must be 0 or more; renewal_date "2026-02-30" is not a valid date (February 2026 has 28 days); unknown field "slackChannelId" (did you mean "slack_channel_id"?)' },
    ]);
  });

  it('refuses a single object and too many items', () => {
    expect(parseAccountsBody({ external_id: 'X', name: 'Y' })).toEqual({ kind: 'not-array', error: 'expected a JSON array of accounts' });
    expect(parseAccountsBody([{}, {}], 1)).toMatchObject({ kind: 'too-many' });
  });
});
