// Account aliases on both databases: imported with accounts, kept or replaced
// as the field-by-field rules say, unique across accounts, and resolving
// provider ids and e-mail domains to accounts.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimAlias, listAccountAliases, resolveAccountByAlias, resolveAccountByEmailDomain, resolveAttribution } from '../../../src/accounts/alias-store.js';
import type { Database } from '../../../src/db/database.js';
import { importCsv } from '../../../src/ingest/import-csv.js';
import { ingestAccounts } from '../../../src/ingest/ingest-rows.js';
import { parseAccountsBody } from '../../../src/ingest/parse-api.js';
import { accountRowSchema } from '../../../src/ingest/row-schemas.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const csv = (text: string) => Readable.from([text]);

describe.each(DATABASE_KINDS)('account aliases (%s)', (kind) => {
  let db: Database;
  const aliasesOf = async (externalId: string) => {
    const account = await db.prisma.account.findUniqueOrThrow({ where: { externalId } });
    return (await listAccountAliases(db.prisma, account.id)).map((a) => `${a.kind}:${a.value}`);
  };
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('imports aliases from the accounts CSV and refuses, by line, a row claiming another account\'s alias', async () => {
    const summary = await importCsv(db.prisma, 'accounts', csv([
      'external_id,name,domain,aliases',
      'A-1,Acme,acme.com,shopify:123;stripe:cus_9;zendesk:77;hubspot:42;domain:acme.co.uk',
      'B-1,Beta,beta.io,stripe:cus_B',
      'C-1,Copycat,,stripe:cus_9;shopify:900',
      'D-1,Delta,,crm:1',
    ].join('\n')));
    expect(summary).toMatchObject({ rowsRead: 4, loaded: 2, inserted: 2, rejected: 2 });
    expect(summary.errors).toEqual([
      { line: 4, error: 'alias "stripe:cus_9" already belongs to account "A-1" by an earlier row (remove it there first)' },
      { line: 5, error: 'aliases: unknown alias kind "crm" (kinds: shopify, stripe, zendesk, hubspot, domain)' },
    ]);
    // The refused row changed nothing: no account, no alias.
    expect(await db.prisma.account.findUnique({ where: { externalId: 'C-1' } })).toBeNull();
    expect(await resolveAccountByAlias(db.prisma, 'shopify', '900')).toBeNull();
    expect(await aliasesOf('A-1')).toEqual(['domain:acme.co.uk', 'hubspot:42', 'shopify:123', 'stripe:cus_9', 'zendesk:77']);

    const again = await importCsv(db.prisma, 'accounts', csv('external_id,name,aliases\nC-1,Copycat,stripe:cus_9\n'));
    expect(again.errors).toEqual([{ line: 2, error: 'alias "stripe:cus_9" already belongs to account "A-1" (remove it there first)' }]);
  });

  it('keeps stored aliases when the column is left out, replaces them when it is sent, clears them when blank', async () => {
    await importCsv(db.prisma, 'accounts', csv('external_id,name,arr\nA-1,Acme Corp,1000\n'));
    expect(await aliasesOf('A-1')).toHaveLength(5);
    await importCsv(db.prisma, 'accounts', csv('external_id,name,aliases\nA-1,Acme Corp,shopify:123;stripe:cus_10\n'));
    expect(await aliasesOf('A-1')).toEqual(['shopify:123', 'stripe:cus_10']);
    // cus_9 was released, so another account may now take it.
    const moved = await ingestAccounts(db.prisma, [{ at: 0, row: accountRowSchema.parse({ external_id: 'B-1', name: 'Beta', aliases: 'stripe:cus_9' }) }]);
    expect(moved.errors).toEqual([]);
    expect(await resolveAccountByAlias(db.prisma, 'stripe', 'cus_9')).toMatchObject({ externalId: 'B-1', via: 'stripe' });
    await importCsv(db.prisma, 'accounts', csv('external_id,name,aliases\nB-1,Beta,\n'));
    expect(await aliasesOf('B-1')).toEqual([]);
    expect(await aliasesOf('A-1')).toEqual(['shopify:123', 'stripe:cus_10']);
  });

  it('takes aliases from API items, as a string or a list, with per-item errors', async () => {
    const parsed = parseAccountsBody([
      { external_id: 'E-1', name: 'Echo', aliases: ['zendesk:500', 'domain:echo.example'] },
      { external_id: 'F-1', name: 'Foxtrot', aliases: 'zendesk:500' },
      { external_id: 'G-1', name: 'Golf', aliases: 'shopify:x' },
    ]);
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(parsed.errors).toEqual([{ at: 2, error: 'aliases: shopify id "x" must be a number like 6543210' }]);
    const outcome = await ingestAccounts(db.prisma, parsed.valid);
    expect(outcome).toMatchObject({ loaded: 1, inserted: 1, errors: [{ at: 1, error: 'alias "zendesk:500" already belongs to account "E-1" by an earlier row (remove it there first)' }] });
    expect(await aliasesOf('E-1')).toEqual(['domain:echo.example', 'zendesk:500']);
  });

  it('resolves provider ids and e-mail domains to accounts', async () => {
    const acme = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } });
    expect(await resolveAccountByAlias(db.prisma, 'shopify', 'gid://shopify/Company/123')).toEqual({ accountId: acme.id, externalId: 'A-1', via: 'shopify' });
    expect(await resolveAccountByAlias(db.prisma, 'STRIPE', 'cus_10')).toMatchObject({ externalId: 'A-1' });
    expect(await resolveAccountByAlias(db.prisma, 'stripe', 'CUS_10')).toBeNull();
    expect(await resolveAccountByAlias(db.prisma, 'salesforce', '1')).toBeNull();
    // The account's own domain, and its subdomains; a domain alias wins over it.
    expect(await resolveAccountByEmailDomain(db.prisma, 'Jane@Sales.ACME.com')).toEqual({ accountId: acme.id, externalId: 'A-1', via: 'account-domain' });
    expect(await resolveAccountByEmailDomain(db.prisma, 'ops@echo.example')).toMatchObject({ externalId: 'E-1', via: 'domain' });
    expect(await resolveAccountByAlias(db.prisma, 'domain', 'echo.example')).toMatchObject({ externalId: 'E-1', via: 'domain' });
    expect(await resolveAccountByEmailDomain(db.prisma, 'someone@gmail.com')).toBeNull();
    expect(await resolveAccountByEmailDomain(db.prisma, 'someone@unknown.example')).toBeNull();
    // A domain two accounts share names no one.
    await importCsv(db.prisma, 'accounts', csv('external_id,name,domain\nH-1,Hotel,shared.example\nH-2,Hotel Two,shared.example\n'));
    expect(await resolveAccountByEmailDomain(db.prisma, 'x@shared.example')).toBeNull();
    // Hints are tried in order of preference.
    expect(await resolveAttribution(db.prisma, [{ kind: 'shopify', value: '999' }, { kind: 'domain', value: 'acme.com' }])).toMatchObject({ externalId: 'A-1', via: 'account-domain' });
  });

  it('claims an alias for an account unless another account holds it', async () => {
    const echo = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'E-1' } });
    expect(await claimAlias(db.prisma, echo.id, { kind: 'hubspot', value: '7' })).toEqual({ ok: true });
    expect(await claimAlias(db.prisma, echo.id, { kind: 'hubspot', value: '7' })).toEqual({ ok: true });
    const acme = await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'A-1' } });
    expect(await claimAlias(db.prisma, acme.id, { kind: 'hubspot', value: '7' })).toEqual({ ok: false, heldBy: 'E-1' });
    // Deleting an account frees its aliases.
    await db.prisma.account.delete({ where: { id: echo.id } });
    expect(await resolveAccountByAlias(db.prisma, 'hubspot', '7')).toBeNull();
  });
});
