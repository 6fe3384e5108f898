import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvFileError, CsvHeaderError, parseCsvInBatches, parseCsvRows, type CsvKind, type CsvSource } from '../../../src/ingest/parse-csv.js';

const METRICS_HEADER = 'account,metric,value,observed_at';

async function collect(source: CsvSource, kind: CsvKind = 'metrics', maxRecordBytes?: number) {
  const results = [];
  for await (const result of parseCsvRows(source, kind, maxRecordBytes === undefined ? {} : { maxRecordBytes })) results.push(result);
  return results;
}

/** Line numbers and outcomes only: what a person reading the import report sees. */
async function outline(text: string | string[], kind: CsvKind = 'metrics') {
  const results = await collect(Readable.from(Array.isArray(text) ? text : [text]), kind);
  return results.map((r) => (r.ok ? [r.line, 'ok'] : [r.line, r.error]));
}

function splitEveryByte(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
}

describe('parseCsvRows: reading the file', () => {
  it('handles a BOM, CRLF, quoted commas and line breaks, blank lines and emptied spreadsheet rows', async () => {
    const csv = [
      `\uFEFF${METRICS_HEADER}`, // 1
      '"Acme, Inc",logins_30d,12,2026-03-01', // 2
      'acme.com,nps,abc,2026-03-01', // 3
      '', // 4
      '"multi', // 5
      'line",csat,80,2026-03-01T10:00:00Z', // 6
      ',,,', // 7: how spreadsheets save an emptied row
      'ACC-1,orders_30d,3,2026-02-30', // 8
      '',
    ].join('\r\n');
    const results = await collect(Readable.from([csv]));
    expect(results).toEqual([
      { line: 2, endLine: 2, ok: true, row: { accountRef: 'Acme, Inc', metricKey: 'logins_30d', value: 12, observedAt: new Date('2026-03-01T00:00:00Z') } },
      { line: 3, endLine: 3, ok: false, error: 'value "abc" is not a number' },
      { line: 5, endLine: 6, ok: true, row: { accountRef: 'multi\nline', metricKey: 'csat', value: 80, observedAt: new Date('2026-03-01T10:00:00Z') } },
      { line: 8, endLine: 8, ok: false, error: 'observed_at "2026-02-30" is not a valid date (February 2026 has 28 days)' },
    ]);
  });

  // csv-parse alone counts a CRLF inside quotes as two lines; every later line number would drift.
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('numbers lines by where records start, across multi-line quoted fields (%s)', async (_name, eol) => {
    const csv = [METRICS_HEADER, '"a', 'b', 'c",nps,1,2026-01-01', 'B,nps,x,2026-01-01', '', '"d', '",nps,2,2026-01-01', 'E,nps,y,2026-01-01'].join(eol);
    expect(await outline(csv)).toEqual([
      [2, 'ok'],
      [5, 'value "x" is not a number'],
      [7, 'ok'],
      [9, 'value "y" is not a number'],
    ]);
  });

  it('numbers lines after blank lines before the header', async () => {
    expect(await outline(`\n\n${METRICS_HEADER}\nA,nps,x,2026-01-01\n`)).toEqual([[4, 'value "x" is not a number']]);
  });

  it('gives the same rows when every byte arrives in its own chunk (split CRLF, split UTF-8 characters)', async () => {
    const csv = `${METRICS_HEADER}\r\n"Zürich Ünternehmen 🚀",nps,1,2026-01-01\r\n"two\r\nlines",nps,2,2026-01-01\r\nB,nps,bad,2026-01-01\r\n`;
    const whole = await collect(Readable.from([csv]));
    expect(await collect(Readable.from(splitEveryByte(csv)))).toEqual(whole);
    expect(whole.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(whole[0]).toMatchObject({ row: { accountRef: 'Zürich Ünternehmen 🚀' } });
    expect(whole[1]).toMatchObject({ row: { accountRef: 'two\nlines' } });
  });

  it.each([
    ['a number split by an unquoted comma', 'A,nps,1,2,2026-01-01', 'expected 4 fields, found 5 (quote values that contain commas, e.g. "1,200")'],
    ['a missing field', 'A,nps,1', 'expected 4 fields, found 3 (a missing field?)'],
    ['a trailing comma', 'A,nps,1,2026-01-01,', 'expected 4 fields, found 5 (quote values that contain commas, e.g. "1,200")'],
    ['a quoted thousands number', 'A,nps,"1,200",2026-01-01', null],
    ['a stray quote inside a value', 'A,nps,5" screen,2026-01-01', 'value "5" screen" is not a number'],
    ['a quote doubled inside a quoted value', '"The ""Best"" Co",nps,1,2026-01-01', null],
  ])('reads %s as one row', async (_name, line, error) => {
    const results = await outline(`${METRICS_HEADER}\n${line}\nB,nps,1,2026-01-01\n`);
    expect(results).toEqual([
      [2, error ?? 'ok'],
      [3, 'ok'],
    ]);
  });

  it('says when a wrong field count spans lines, a sign of a misplaced quote', async () => {
    expect(await outline(`${METRICS_HEADER}\n"A\nB",nps\nC,nps,1,2026-01-01\n`)).toEqual([
      [2, 'expected 4 fields, found 2 (a missing field?); the record runs from line 2 to 3, so a quote may be misplaced'],
      [4, 'ok'],
    ]);
  });

  it('keeps the rows before a quote that is never closed and reports the lines it swallowed', async () => {
    expect(await outline(`${METRICS_HEADER}\nA,nps,1,2026-01-01\n\nB,"nps,2,2026-01-01\nC,nps,3,2026-01-01\n`)).toEqual([
      [2, 'ok'],
      [4, 'a quote opened on line 4 is never closed, so lines 4–5 could not be read (a quote inside a quoted value is written twice: "")'],
    ]);
  });

  it.each([
    ['in separate chunks', false],
    ['all in one chunk', true],
  ])('stops at a record longer than the 1 MiB limit, after handing out every row before it (%s)', async (_name, oneChunk) => {
    const long = `"${'x'.repeat(1_100_000)}",nps,1,2026-01-01\n`;
    const chunks = [`${METRICS_HEADER}\nA,nps,1,2026-01-01\n`, long, 'B,nps,1,2026-01-01\n'];
    const lines: number[] = [];
    const run = async () => {
      for await (const r of parseCsvRows(Readable.from(oneChunk ? [chunks.join('')] : chunks), 'metrics')) lines.push(r.line);
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFileError);
    expect(error).toMatchObject({
      line: 3,
      reason: 'unreadable',
      message: 'the file could not be read as CSV from line 3 on: the record there is longer than 1 MiB (is the file comma-separated, with one record per line?)',
    });
    expect(lines).toEqual([2]);
  });

  it('stops reading a file without line breaks soon after the limit, not at its end', async () => {
    let pulled = 0;
    async function* noLineBreaks() {
      yield `${METRICS_HEADER}\n`;
      for (let i = 0; i < 10_000; i += 1) {
        pulled += 1;
        yield 'x'.repeat(65_536);
      }
    }
    await expect(collect(noLineBreaks())).rejects.toThrow('the file could not be read as CSV from line 2 on');
    expect(pulled).toBeLessThan(100);
  });

  it('treats a long record under the limit as an ordinary row error', async () => {
    expect(await outline(`${METRICS_HEADER}\n${'a'.repeat(300)},nps,1,2026-01-01\n`)).toEqual([[2, 'account is at most 200 characters (got 300)']]);
    const tight = collect(Readable.from([`${METRICS_HEADER}\nA,nps,1,2026-01-01\n`]), 'metrics', 10);
    await expect(tight).rejects.toThrow('the header row could not be read as CSV');
  });

  it('reads accounts with a subset of the columns, in any order, normalising values; columns left out stay undefined (kept), blank cells null (cleared)', async () => {
    const csv = 'Name,External_ID,domain,segment,arr\nAcme,A-1,https://www.acme.com/,Mid Market,"120,000"\nBee,A-2,,,\n';
    const results = await collect(Readable.from([csv]), 'accounts');
    expect(results.map((r) => (r.ok ? r.row : r.error))).toEqual([
      expect.objectContaining({ externalId: 'A-1', name: 'Acme', domain: 'acme.com', segment: 'mid-market', arr: 120000, renewalDate: undefined }),
      expect.objectContaining({ externalId: 'A-2', name: 'Bee', domain: null, segment: null, arr: null }),
    ]);
  });
});

describe('parseCsvRows: the header', () => {
  const guide = 'metrics files have: account,metric,value,observed_at';
  it.each([
    ['an empty file', '', 'the file is empty: a header row is required (account,metric,value,observed_at)'],
    ['a BOM only', '\uFEFF', 'the file is empty: a header row is required (account,metric,value,observed_at)'],
    ['blank lines only', '\n\r\n\n', 'the file is empty: a header row is required (account,metric,value,observed_at)'],
    ['a missing column', 'account,metric,value\n', `bad header: missing required column "observed_at"; ${guide}`],
    ['an unknown column', `${METRICS_HEADER},colour\n`, `bad header: unknown column "colour"; ${guide}`],
    ['a camelCase column', 'account,metric,value,observedAt\n', `bad header: unknown column "observedAt" (did you mean "observed_at"?); missing required column "observed_at"; ${guide}`],
    ['a repeated column', `${METRICS_HEADER},value\n`, `bad header: column "value" appears more than once; ${guide}`],
    ['an unnamed column', 'account,,metric,value,observed_at\n', `bad header: column 2 of the header has no name; ${guide}`],
    ['semicolons', 'account;metric;value;observed_at\n', 'the header has a single column "account;metric;value;observed_at": the file seems to use ";" between fields; save it as comma-separated (account,metric,value,observed_at)'],
    [
      'a data row where the header should be',
      'A-1,nps,4,2026-01-01\n',
      'bad header: unknown columns "A-1", "nps", "4", "2026-01-01"; missing required columns "account", "metric", "value", "observed_at"; the first line must be the header row: account,metric,value,observed_at',
    ],
    ['an unclosed quote', '"account,metric,value,observed_at\n', 'the header row has a quote that is never closed'],
  ])('refuses %s', async (_name, csv, message) => {
    const error = await collect(Readable.from([csv])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFileError);
    expect(error).toBeInstanceOf(CsvHeaderError);
    expect(error).toMatchObject({ message, line: 1, reason: 'header' });
  });

  it('requires only external_id and name for accounts', async () => {
    await expect(collect(Readable.from(['name,domain\n']), 'accounts')).rejects.toThrow(
      'bad header: missing required column "external_id"; accounts files have: external_id,name,domain,segment,slack_channel_id,owner_slack_user_id,arr,renewal_date,customer_since,churned_on',
    );
    expect(await collect(Readable.from(['EXTERNAL_ID , name\n']), 'accounts')).toEqual([]);
  });

  it('reads a header-only file, with or without trailing blank lines, as no rows', async () => {
    expect(await collect(Readable.from([METRICS_HEADER]))).toEqual([]);
    expect(await collect(Readable.from([`${METRICS_HEADER}\r\n\r\n\r\n`]))).toEqual([]);
  });
});

describe('parseCsvRows: streaming', () => {
  it('accepts async iterables of strings and Buffers as well as streams', async () => {
    async function* chunks() {
      yield Buffer.from(`${METRICS_HEADER}\nA,nps,`);
      yield '1,2026-01-01\n';
    }
    expect((await collect(chunks())).map((r) => r.ok)).toEqual([true]);
  });

  it('passes on a failure of the source', async () => {
    async function* failing() {
      yield `${METRICS_HEADER}\n`;
      throw new Error('disk went away');
    }
    await expect(collect(failing())).rejects.toThrow('disk went away');
  });

  it('pulls the source only as fast as rows are consumed, and releases it when the reader stops', async () => {
    const chunk = 'ACC-1,logins_30d,12,2026-01-01T00:00:00Z\n'.repeat(1_000); // ~40 KB
    let pulled = 0;
    let released = false;
    async function* endless() {
      try {
        yield `${METRICS_HEADER}\n`;
        for (;;) {
          pulled += 1;
          yield chunk;
        }
      } finally {
        released = true;
      }
    }
    let read = 0;
    for await (const result of parseCsvRows(endless(), 'metrics')) {
      expect(result.ok).toBe(true);
      read += 1;
      if (read === 5_000) break;
    }
    // 5 chunks hold the rows read; the rest is stream buffering, not the whole source.
    expect(pulled).toBeLessThan(20);
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(true);
  });
});

describe('parseCsvInBatches', () => {
  it('hands out rows and errors in batches with their lines, the header columns and progress', async () => {
    const csv = `${METRICS_HEADER}\nA,nps,1,2026-01-01\nB,nps,x,2026-01-01\n"C\nD",nps,3,2026-01-01\nE,nps,4,2026-01-01\nF,nps,5,2026-01-01\n`;
    const batches = [];
    for await (const batch of parseCsvInBatches(Readable.from([csv]), 'metrics', 2)) batches.push(batch);
    expect(batches.map((b) => ({ valid: b.valid.map((v) => v.line), errors: b.errors.map((e) => e.line), linesRead: b.linesRead }))).toEqual([
      { valid: [2], errors: [3], linesRead: 3 },
      { valid: [4, 6], errors: [], linesRead: 6 },
      { valid: [7], errors: [], linesRead: 7 },
    ]);
    expect(batches.every((b) => b.columns.join(',') === METRICS_HEADER)).toBe(true);
    expect(batches[1]?.valid[0]?.row).toEqual({ accountRef: 'C\nD', metricKey: 'nps', value: 3, observedAt: new Date('2026-01-01T00:00:00Z') });
  });

  it('yields nothing for a header-only file and refuses a batch size below 1', async () => {
    const none = [];
    for await (const batch of parseCsvInBatches(Readable.from([METRICS_HEADER]), 'metrics', 10)) none.push(batch);
    expect(none).toEqual([]);
    await expect(parseCsvInBatches(Readable.from([METRICS_HEADER]), 'metrics', 0).next()).rejects.toThrow(RangeError);
  });
});
