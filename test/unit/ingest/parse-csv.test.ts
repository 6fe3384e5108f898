import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvHeaderError, parseCsvInBatches, type CsvKind } from '../../../src/ingest/parse-csv.js';

async function parseAll(text: string | Buffer, kind: CsvKind = 'metrics') {
  const valid: { line: number }[] = [];
  const errors: { line: number; error: string }[] = [];
  for await (const batch of parseCsvInBatches(Readable.from([text]), kind, 3)) {
    valid.push(...batch.valid);
    errors.push(...batch.errors);
  }
  return { valid, errors };
}

describe('parseCsvInBatches', () => {
  it('reads metrics with BOM, CRLF, quoted fields, and reports line numbers of bad rows', async () => {
    const csv = '\uFEFFaccount,metric,value,observed_at\r\n"Acme, Inc",logins_30d,12,2026-03-01\r\nacme.com,nps,abc,2026-03-01\r\n\r\nACC-1,orders_30d,3,2026-02-30\r\nACC-1,Bad Key,3,2026-02-01\r\n"multi\nline",csat,80,2026-03-01T10:00:00Z\r\nACC-2,csat,1,2,2026-03-01\r\nACC-3,csat,,2026-03-01\r\n';
    const { valid, errors } = await parseAll(csv);
    // line 4 is blank; the quoted record on line 7 continues on line 8
    expect(valid.map((v) => v.line)).toEqual([2, 7]);
    expect(errors).toEqual([
      { line: 3, error: 'value "abc" is not a number' },
      { line: 5, error: expect.stringContaining('observed_at "2026-02-30" is not an ISO 8601 date') },
      { line: 6, error: 'metric must be a metric key like logins_30d' },
      { line: 9, error: 'expected 4 fields, found 5 (an unquoted comma or a missing field?)' },
      { line: 10, error: 'value is required' },
    ]);
  });

  it.each([
    ['', 'the file is empty: a header row is required'],
    ['account,metric,value\n', 'missing required column "observed_at" in the header'],
    ['account,metric,value,observed_at,colour\n', 'unknown column "colour" in the header; metrics files have: account,metric,value,observed_at'],
  ])('refuses a bad header %j', async (csv, message) => {
    await expect(parseAll(csv)).rejects.toThrow(new CsvHeaderError(message));
  });

  it('accepts a header-only file as zero rows', async () => {
    expect(await parseAll('account,metric,value,observed_at\n')).toEqual({ valid: [], errors: [] });
  });

  it('validates account rows: dates, ids, numbers, and normalises domain and segment', async () => {
    const csv = 'external_id,name,domain,segment,arr,renewal_date,slack_channel_id\nA1,Acme,https://www.Acme.com/x,Mid Market,1200.5,2027-01-31,C0123ABCDE\nA2,Bee,,smb,12k,,\nA3,Cee,,,,2026-13-01,\nA4,Dee,,,,,#general\n,NoId,,,,,\n';
    const rows: unknown[] = [];
    const errors: { line: number; error: string }[] = [];
    for await (const batch of parseCsvInBatches(Readable.from([csv]), 'accounts', 10)) {
      rows.push(...batch.valid.map((v) => v.row));
      errors.push(...batch.errors);
    }
    expect(rows).toEqual([
      expect.objectContaining({ externalId: 'A1', domain: 'acme.com', segment: 'mid-market', arr: 1200.5, renewalDate: new Date('2027-01-31T00:00:00Z'), slackChannelId: 'C0123ABCDE' }),
    ]);
    expect(errors).toEqual([
      { line: 3, error: 'arr "12k" is not a number' },
      { line: 4, error: 'renewal_date "2026-13-01" is not a valid date (use YYYY-MM-DD)' },
      { line: 5, error: 'slack_channel_id must be a channel id like C0123ABCDE' },
      { line: 6, error: 'external_id is required' },
    ]);
  });

  it('reports a line longer than the limit as an unreadable file', async () => {
    const csv = `account,metric,value,observed_at\nA,nps,1,2026-01-01\n"${'x'.repeat(1_100_000)}",nps,1,2026-01-01\n`;
    await expect(parseAll(csv)).rejects.toThrow(/could not be read as CSV/);
  });
});
