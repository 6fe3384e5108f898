// CSV import on both databases: bad rows are reported by line and change
// nothing; good rows in the same file are kept; re-sending replaces.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { importCsv } from '../../../src/ingest/import-csv.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const csv = (text: string) => Readable.from([text]);

describe.each(DATABASE_KINDS)('CSV import (%s)', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('imports accounts, keeps the good rows of a file with bad ones, and updates by external_id', async () => {
    const first = await importCsv(db.prisma, 'accounts', csv(
      'external_id,name,domain,segment,arr,renewal_date\nA-1,Acme Corp,acme.com,enterprise,250000,2027-03-31\nA-2,Beta LLC,beta.io,smb,,\nA-3,Broken,,smb,lots,\nA-4,Twin Co,,,,\nA-5,twin co,,,,\n',
    ));
    expect(first).toMatchObject({ rowsRead: 5, loaded: 4, inserted: 4, updated: 0, rejected: 1, errors: [{ line: 4, error: 'arr "lots" is not a number' }] });
    expect(await db.prisma.account.count()).toBe(4);

    // A file without the arr column keeps the stored ARR; the name changes.
    const second = await importCsv(db.prisma, 'accounts', csv('external_id,name,segment\nA-1,Acme Corporation,enterprise\n'));
    expect(second).toMatchObject({ loaded: 1, inserted: 0, updated: 1, rejected: 0 });
    const acme = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } });
    expect(acme).toMatchObject({ name: 'Acme Corporation', nameKey: 'acme corporation', arr: 250000, domain: 'acme.com' });
  });

  it('imports metrics by external id, domain or name; rejects unknown and ambiguous references and metrics', async () => {
    const summary = await importCsv(db.prisma, 'metrics', csv(
      [
        'account,metric,value,observed_at',
        'A-1,logins_30d,120,2026-10-01',
        'beta.io,orders_30d,7,2026-10-01T08:00:00Z',
        'ACME CORPORATION,nps,35,2026-10-01',
        'nobody,nps,35,2026-10-01',
        'twin co,nps,10,2026-10-01',
        'A-1,moon_phase,3,2026-10-01',
        'A-1,csat,eighty,2026-10-01',
      ].join('\n'),
    ));
    expect(summary).toMatchObject({ rowsRead: 7, loaded: 3, inserted: 3, rejected: 4 });
    expect(summary.errors.map((e) => [e.line, e.error.split(' (')[0]])).toEqual([
      [5, 'unknown account "nobody"'],
      [6, 'ambiguous account "twin co" matches 2 accounts'],
      [7, 'unknown metric "moon_phase"'],
      [8, 'value "eighty" is not a number'],
    ]);
    expect(await db.prisma.metricObservation.count()).toBe(3);
  });

  it('replaces the value when the same observation is sent again, within and across files', async () => {
    const again = await importCsv(db.prisma, 'metrics', csv('account,metric,value,observed_at\nA-1,logins_30d,140,2026-10-01T00:00:00Z\nA-1,logins_30d,150,2026-10-01\n'));
    expect(again).toMatchObject({ rowsRead: 2, loaded: 1, inserted: 0, updated: 1, rejected: 0, superseded: 1, supersededRows: [{ at: 2, by: 3 }] });
    const rows = await db.prisma.metricObservation.findMany({ where: { metricKey: 'logins_30d' } });
    expect(rows.map((r) => r.value)).toEqual([150]);
  });

  it('changes nothing when the header is wrong', async () => {
    const before = await db.prisma.metricObservation.count();
    await expect(importCsv(db.prisma, 'metrics', csv('acct,metric,value,observed_at\nA-1,nps,1,2026-01-01\n'))).rejects.toThrow(/unknown column "acct"/);
    expect(await db.prisma.metricObservation.count()).toBe(before);
  });

  it('matches metric rows to accounts by external id in any case, as by domain and name', async () => {
    const summary = await importCsv(db.prisma, 'metrics', csv('account,metric,value,observed_at\na-1,csat,81,2026-10-02\nBETA.IO,csat,70,2026-10-02\n'));
    expect(summary).toMatchObject({ loaded: 2, rejected: 0 });
    const a1 = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } });
    expect(await db.prisma.metricObservation.count({ where: { accountId: a1.id, metricKey: 'csat' } })).toBe(1);
  });

  it('rejects values outside a metric\'s range with the line and the range, storing nothing for them', async () => {
    const summary = await importCsv(db.prisma, 'metrics', csv(
      'account,metric,value,observed_at\nA-1,csm_sentiment,99,2026-10-03\nA-1,feature_adoption_pct,-40,2026-10-03\nA-1,orders_30d,-1,2026-10-03\nA-1,csm_sentiment,4,2026-10-03\n',
    ));
    expect(summary).toMatchObject({ loaded: 1, rejected: 3 });
    expect(summary.errors).toEqual([
      { line: 2, error: 'value 99 is out of range for csm_sentiment (expected 1 to 5)' },
      { line: 3, error: 'value -40 is out of range for feature_adoption_pct (expected 0 to 100)' },
      { line: 4, error: 'value -1 is out of range for orders_30d (expected 0 or more)' },
    ]);
    expect(await db.prisma.metricObservation.count({ where: { observedAt: new Date('2026-10-03T00:00:00Z') } })).toBe(1);
  });

  it('rejects rows that are not UTF-8 (a Latin-1 export) instead of storing replacement characters', async () => {
    const latin1 = Buffer.concat([Buffer.from('external_id,name\nL-1,Caf'), Buffer.from([0xe9]), Buffer.from(' M'), Buffer.from([0xfc]), Buffer.from('ller\nL-2,Caf\u00e9 Ok\n', 'utf8')]);
    const summary = await importCsv(db.prisma, 'accounts', Readable.from([latin1]));
    expect(summary).toMatchObject({ loaded: 1, rejected: 1, errors: [{ line: 2, error: expect.stringMatching(/^name has bytes that are not UTF-8 text \(the file looks like Latin-1 or Windows-1252\)/) }] });
    expect(await db.prisma.account.count({ where: { name: { contains: '\uFFFD' } } })).toBe(0);
    expect(await db.prisma.account.findUnique({ where: { externalId: 'L-2' } })).toMatchObject({ name: 'Caf\u00e9 Ok' });
  });

  it('reports an earlier row repeated later in the file as superseded, within a batch and across batches', async () => {
    const accounts = await importCsv(db.prisma, 'accounts', csv('external_id,name,arr\nD-1,First,100\nD-2,Other,5\nD-1,Second,200\n'));
    expect(accounts).toMatchObject({ rowsRead: 3, loaded: 2, inserted: 2, updated: 0, rejected: 0, superseded: 1, supersededRows: [{ at: 2, by: 4 }] });
    expect(await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'D-1' } })).toMatchObject({ name: 'Second', arr: 200 });

    // 5,000 rows make a batch: line 2 and line 5,003 fall into different ones.
    const filler = Array.from({ length: 5_000 }, (_, i) => `D-2,logins_30d,${i},${new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString()}`);
    const metrics = await importCsv(db.prisma, 'metrics', csv(['account,metric,value,observed_at', 'D-1,nps,10,2026-10-04', ...filler, 'd-1,nps,20,2026-10-04T00:00:00Z'].join('\n')));
    expect(metrics).toMatchObject({ rowsRead: 5_002, loaded: 5_001, inserted: 5_001, updated: 0, rejected: 0, superseded: 1, supersededRows: [{ at: 2, by: 5_003 }] });
    const d1 = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'D-1' } });
    expect((await db.prisma.metricObservation.findMany({ where: { accountId: d1.id, metricKey: 'nps' } })).map((o) => o.value)).toEqual([20]);
  });

  it('clears a value with a blank cell and keeps values of columns the file leaves out', async () => {
    await importCsv(db.prisma, 'accounts', csv('external_id,name,domain,segment\nA-1,Acme Corporation,,enterprise\n'));
    expect(await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } })).toMatchObject({ domain: null, segment: 'enterprise', arr: 250000 });
  });
});
