// Bad input through the whole import path, on both databases: a random mix of
// good and bad rows (any line ending, BOM, quoting) keeps exactly the good
// ones — same accounts, metrics, instants and values — and reports each bad
// one by line; input that is refused as a whole leaves the tables as they were,
// including a 100 MB line that is never read to its end.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { importCsv } from '../../../src/ingest/import-csv.js';
import { CsvFileError } from '../../../src/ingest/parse-csv.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { HEALTHY, seedAccounts } from '../../support/seed.js';

const HEADER = 'account,metric,value,observed_at';
const MINUTE = 60_000;
const BASE = Date.UTC(2025, 0, 1);

/** Every stored account and observation, for before/after comparisons. */
async function tables(db: Database) {
  return {
    accounts: await db.prisma.account.findMany({ orderBy: { id: 'asc' } }),
    observations: await db.prisma.metricObservation.findMany({ orderBy: { id: 'asc' } }),
  };
}

type Row = { good: true; fields: string[]; account: string; metric: string; value: number; at: number } | { good: false; fields: string[] };

/** Account references that resolve (exact external id, domain, or name in any case) → external id. */
const REFS: Record<string, string> = { 'GI-1': 'GI-1', 'one.example': 'GI-1', 'ONE.EXAMPLE': 'GI-1', 'GOOD INPUT ONE': 'GI-1', 'Good Input Two': 'GI-2', 'GI-2': 'GI-2' };

/** Values a metric can really take (its catalogue range): anything outside is a bad row. */
const RANGES: Record<string, [number, number]> = { nps: [-100, 100], csat: [0, 100], logins_30d: [0, 10_000] };

function rowArbitrary(slot: number) {
  const at = BASE + slot * MINUTE;
  const iso = new Date(at).toISOString();
  const good = fc
    .record({ ref: fc.constantFrom(...Object.keys(REFS)), metricValue: fc.oneof(...Object.entries(RANGES).map(([metric, [min, max]]) => fc.record({ metric: fc.constant(metric), value: fc.integer({ min, max }) }))), dateOnly: fc.boolean() })
    .map(({ metricValue, ...rest }) => ({ ...rest, ...metricValue }))
    .map(({ ref, metric, value, dateOnly }): Row => {
      // A date-only observed_at means midnight UTC; give those rows their own day so instants stay unique.
      const when = dateOnly ? Date.UTC(2001, 0, 1) + slot * 86_400_000 : at;
      return { good: true, fields: [ref, metric, String(value), dateOnly ? new Date(when).toISOString().slice(0, 10) : iso], account: REFS[ref] ?? ref, metric, value, at: when };
    });
  const bad = fc.constantFrom<string[]>(
    ['nobody-at-all', 'nps', '1', iso], // unknown account
    ['GI-1', 'moon_phase', '1', iso], // unknown metric
    ['GI-1', 'nps', 'twelve', iso], // not a number
    ['GI-1', 'nps', '1e309', iso], // not finite
    ['GI-1', 'nps', '', iso], // missing value
    ['GI-1', 'csat', '140', iso], // out of the metric's range
    ['GI-1', 'nps', '1', '2025-02-30'], // no such date
    ['GI-1', 'nps', '1', 'yesterday'], // not a date
    ['GI-1', 'nps', '1', '2999-01-01'], // in the future
    ['GI-1', 'nps', '1'], // too few fields
    ['GI-1', 'nps', '1', iso, 'extra'], // too many fields
    ['', 'nps', '1', iso], // no account
  ).map((fields): Row => ({ good: false, fields }));
  return fc.oneof(good, bad);
}

const fileArbitrary = fc
  .integer({ min: 1, max: 40 })
  .chain((n) => fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => rowArbitrary(i))), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 3 })));

describe.each(DATABASE_KINDS)('bad input through the CSV import (%s)', (kind) => {
  let db: Database;
  let ids: Map<string, number>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    ids = await seedAccounts(db, new Date('2026-11-01T00:00:00Z'), [
      { externalId: 'GI-1', name: 'Good Input One', domain: 'one.example', metrics: HEALTHY },
      { externalId: 'GI-2', name: 'Good Input Two', metrics: HEALTHY },
    ]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('keeps exactly the good rows of any mix and reports every bad one by line', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fileArbitrary, async ([rows, eol, bom, quoteAll, chunks]) => {
        run += 1;
        // Each run writes its own source tag's worth of rows: clear the previous run's first.
        await db.prisma.metricObservation.deleteMany({ where: { source: 'csv' } });
        const before = await tables(db);
        const line = (fields: string[]) => fields.map((f) => (quoteAll || /[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
        const text = `${bom ? '\uFEFF' : ''}${HEADER}${eol}${rows.map((r) => line(r.fields)).join(eol)}${eol}`;
        const size = Math.ceil(text.length / chunks);
        const summary = await importCsv(db.prisma, 'metrics', Readable.from(Array.from({ length: chunks }, (_, i) => text.slice(i * size, (i + 1) * size))));

        const good = rows.flatMap((r) => (r.good ? [r] : []));
        const badLines = rows.flatMap((r, i) => (r.good ? [] : [i + 2]));
        expect(summary).toMatchObject({ rowsRead: rows.length, loaded: good.length, rejected: badLines.length });
        expect(summary.errors.map((e) => e.line)).toEqual(badLines);
        for (const e of summary.errors) expect(e.error.length).toBeGreaterThan(10);

        const stored = await db.prisma.metricObservation.findMany({ where: { source: 'csv' } });
        const key = (accountId: number, metric: string, at: number, value: number) => `${accountId}|${metric}|${at}|${value}`;
        expect(stored.map((s) => key(s.accountId, s.metricKey, s.observedAt.getTime(), s.value)).sort()).toEqual(
          good.map((g) => key(ids.get(g.account) ?? -1, g.metric, g.at, g.value)).sort(),
        );
        // Nothing else moved: accounts untouched, the seeded observations as they were.
        const after = await tables(db);
        expect(after.accounts).toEqual(before.accounts);
        expect(after.observations.filter((o) => o.source !== 'csv')).toEqual(before.observations);
      }),
      { numRuns: kind === 'pglite' ? 40 : 20, seed: 7_2026 },
    );
    expect(run).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it.each([
    ['an empty file', ''],
    ['a BOM and blank lines only', '\uFEFF\r\n\r\n'],
    ['wrong columns', 'acct,metric,value,observed_at\nGI-1,nps,1,2026-01-01\n'],
    ['a header from the other kind', 'external_id,name\nGI-1,nps\n'],
    ['semicolons', 'account;metric;value;observed_at\nGI-1;nps;1;2026-01-01\n'],
    ['an unclosed quote in the header', '"account,metric,value,observed_at\nGI-1,nps,1,2026-01-01\n'],
  ])('refuses %s with a file error, changing nothing', async (_name, text) => {
    const before = await tables(db);
    const error = await importCsv(db.prisma, 'metrics', Readable.from([text])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFileError);
    expect((error as Error).message.length).toBeGreaterThan(20);
    expect(await tables(db)).toEqual(before);
  });

  it('refuses a 100 MB line after reading only a few MB, changing nothing', async () => {
    const before = await tables(db);
    let pulled = 0;
    async function* hundredMegabyteLine() {
      yield `${HEADER}\n`;
      for (let i = 0; i < 1_600; i += 1) {
        pulled += 65_536;
        yield 'x'.repeat(65_536);
      }
    }
    const rss = process.memoryUsage().rss;
    const error = await importCsv(db.prisma, 'metrics', hundredMegabyteLine()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFileError);
    expect((error as Error).message).toBe('the file could not be read as CSV from line 2 on: the record there is longer than 1 MiB (is the file comma-separated, with one record per line?)');
    expect(pulled).toBeLessThan(8 * 1_048_576);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1_048_576);
    expect(await tables(db)).toEqual(before);
  });

  it('keeps the good rows before a line it cannot read past, and nothing after', async () => {
    await db.prisma.metricObservation.deleteMany({ where: { source: 'csv' } });
    async function* goodRowsThenHugeLine() {
      yield `${HEADER}\n`;
      for (let i = 0; i < 10; i += 1) yield `GI-2,nps,${i},${new Date(BASE + i * MINUTE).toISOString()}\n`;
      for (let i = 0; i < 100; i += 1) yield 'y'.repeat(65_536);
      yield '\nGI-2,nps,99,2025-06-01\n';
    }
    const error = await importCsv(db.prisma, 'metrics', goodRowsThenHugeLine()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CsvFileError', line: 12, reason: 'unreadable' });
    const stored = await db.prisma.metricObservation.findMany({ where: { source: 'csv' }, orderBy: { observedAt: 'asc' } });
    expect(stored.map((s) => s.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
