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
    expect(again).toMatchObject({ loaded: 2, inserted: 0, updated: 1, rejected: 0 });
    const rows = await db.prisma.metricObservation.findMany({ where: { metricKey: 'logins_30d' } });
    expect(rows.map((r) => r.value)).toEqual([150]);
  });

  it('changes nothing when the header is wrong', async () => {
    const before = await db.prisma.metricObservation.count();
    await expect(importCsv(db.prisma, 'metrics', csv('acct,metric,value,observed_at\nA-1,nps,1,2026-01-01\n'))).rejects.toThrow(/unknown column "acct"/);
    expect(await db.prisma.metricObservation.count()).toBe(before);
  });
});
