// Account lookup on both databases: external ids in any case, typed text as a
// literal (no LIKE wildcards), and near matches by name, external id or domain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccounts, type AccountMatch } from '../../../src/accounts/find-accounts.js';
import type { Database } from '../../../src/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { seedAccounts } from '../../support/seed.js';

const now = new Date('2026-11-20T10:00:00Z');
const names = (match: AccountMatch) => (match.kind === 'one' ? [match.account.name] : match.kind === 'many' ? match.candidates.map((a) => a.name) : match.near.map((a) => a.name));

describe.each(DATABASE_KINDS)('findAccounts (%s)', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seedAccounts(db, now, [
      { externalId: 'Mixed-Case-9', name: 'Umbrella Holdings', domain: 'umbrella.example', metrics: {} },
      { externalId: 'GLX-100', name: 'Globex Corporation', domain: 'globex.io', metrics: {} },
      { externalId: 'ACME-1', name: 'Acme Corp', domain: 'acme.com', metrics: {} },
      { externalId: 'ACME-2', name: 'Acme Logistics', domain: 'acmelog.com', metrics: {} },
      { externalId: 'PCT-1', name: '100% Juice Co', domain: 'juice.example', metrics: {} },
      { externalId: 'US_1', name: 'Under_score Ltd', domain: 'underscore.example', metrics: {} },
    ]);
    // Enough unrelated accounts that a near-match pool has to choose.
    for (let i = 0; i < 60; i += 1) {
      await db.prisma.account.create({ data: { externalId: `FILL-${i}`, name: `Filler Trading ${i}`, nameKey: `filler trading ${i}`, domain: `filler${i}.example` } });
    }
  });
  afterAll(async () => {
    await db.close();
  });

  it('matches an external id in any case', async () => {
    for (const q of ['Mixed-Case-9', 'mixed-case-9', 'MIXED-CASE-9', '  mIxEd-cAsE-9 ']) {
      expect(await findAccounts(db.prisma, q)).toMatchObject({ kind: 'one', account: { externalId: 'Mixed-Case-9' } });
    }
  });

  it('matches a domain (also typed as a URL) and the whole name in any case', async () => {
    expect(names(await findAccounts(db.prisma, 'https://www.Globex.io/pricing'))).toEqual(['Globex Corporation']);
    expect(names(await findAccounts(db.prisma, 'ACME CORP'))).toEqual(['Acme Corp']);
  });

  it('treats %, _ and \\ as literal characters, never as wildcards', async () => {
    // Only the accounts that really contain the character match, not all 66.
    expect(names(await findAccounts(db.prisma, '%'))).toEqual(['100% Juice Co']);
    expect(names(await findAccounts(db.prisma, '_'))).toEqual(['Under_score Ltd']);
    for (const q of ['\\', '%%', 'a%', '_cme', 'ac_e', '\\%', '%_%']) {
      expect((await findAccounts(db.prisma, q)).kind, `query ${q}`).toBe('none');
    }
    expect(names(await findAccounts(db.prisma, '100%'))).toEqual(['100% Juice Co']);
    expect(names(await findAccounts(db.prisma, 'under_score'))).toEqual(['Under_score Ltd']);
    expect(names(await findAccounts(db.prisma, 'us_'))).toEqual(['Under_score Ltd']);
  });

  it('offers a chooser for parts of names and external id prefixes, with the real total', async () => {
    expect(await findAccounts(db.prisma, 'acme')).toMatchObject({ kind: 'many', total: 2 });
    expect(await findAccounts(db.prisma, 'acme-')).toMatchObject({ kind: 'many', total: 2 });
    const fillers = await findAccounts(db.prisma, 'filler');
    expect(fillers).toMatchObject({ kind: 'many', total: 60 });
    if (fillers.kind === 'many') expect(fillers.candidates).toHaveLength(10);
  });

  it('suggests near matches for typos anywhere, including the first letter, external ids and domains', async () => {
    expect(names(await findAccounts(db.prisma, 'Globx'))).toContain('Globex Corporation');
    expect(names(await findAccounts(db.prisma, 'klobex'))).toContain('Globex Corporation');
    expect(names(await findAccounts(db.prisma, 'globex.con'))).toContain('Globex Corporation');
    expect(names(await findAccounts(db.prisma, 'mixed-case-8'))).toEqual(['Umbrella Holdings']);
    expect(names(await findAccounts(db.prisma, 'umbrela'))).toEqual(['Umbrella Holdings']);
    expect(names(await findAccounts(db.prisma, 'acme crop'))[0]).toBe('Acme Corp');
  });

  it('suggests nothing for text unlike any account, and survives odd input', async () => {
    expect(await findAccounts(db.prisma, 'zzqqxx')).toEqual({ kind: 'none', near: [] });
    expect((await findAccounts(db.prisma, `x${'é'.repeat(300)}\u0000'; DROP TABLE accounts; --`)).kind).toBe('none');
    expect(await db.prisma.account.count()).toBe(66);
  });
});
