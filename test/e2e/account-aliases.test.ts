// Aliases as a user sends them: `import accounts` through the real CLI, and
// POST /api/v1/accounts through the real server, on both databases.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAccountByAlias, resolveAccountByEmailDomain } from '../../src/accounts/alias-store.js';
import { createApiToken } from '../../src/api-tokens/api-tokens.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';
import { runCliProcess } from '../support/spawn-cli.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('aliases through `account-health import accounts`', () => {
  let dir: string;
  let url: string;
  let db: Database;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-aliases-'));
    url = await createPostgresDatabase();
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test' });
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads aliases, names each refused row, and keeps stored aliases when a later file leaves the column out', async () => {
    const file = path.join(dir, 'accounts.csv');
    await writeFile(file, [
      'external_id,name,domain,aliases',
      'A-1,Acme,acme.com,"shopify:123;stripe:cus_9;zendesk:77;hubspot:42;domain:acme.co.uk"',
      'B-1,Beta,,stripe:cus_9',
      'C-1,Charlie,,paypal:1',
      'D-1,Delta,,domain:hotmail.com',
    ].join('\n'));
    const first = await runCliProcess(['import', 'accounts', file], { DATABASE_URL: url });
    expect(first.output).toContain('1 loaded (1 new, 0 updated), 3 rejected');
    expect(first.output).toContain('line 3: alias "stripe:cus_9" already belongs to account "A-1" by an earlier row (remove it there first)');
    expect(first.output).toContain('line 4: aliases: unknown alias kind "paypal" (kinds: shopify, stripe, zendesk, hubspot, domain)');
    expect(first.output).toContain('line 5: aliases: domain alias "hotmail.com" is a public mail provider shared by many companies');
    expect(await resolveAccountByAlias(db.prisma, 'zendesk', '77')).toMatchObject({ externalId: 'A-1' });
    expect(await resolveAccountByEmailDomain(db.prisma, 'buyer@acme.co.uk')).toMatchObject({ externalId: 'A-1', via: 'domain' });

    await writeFile(file, 'external_id,name,arr\nA-1,Acme Corp,5000\n');
    const second = await runCliProcess(['import', 'accounts', file], { DATABASE_URL: url });
    expect(second.output).toContain('1 loaded (0 new, 1 updated), 0 rejected');
    expect(await resolveAccountByAlias(db.prisma, 'hubspot', '42')).toMatchObject({ externalId: 'A-1' });
  }, 120_000);
});

describe.each(DATABASE_KINDS)('aliases through POST /api/v1/accounts (%s)', (kind) => {
  let t: TestServer;
  let token: string;
  const post = (body: unknown) =>
    fetch(`${t.server.url}/api/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  beforeAll(async () => {
    t = await startTestServer(kind);
    token = (await createApiToken(t.db.prisma, 'crm')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores aliases, answers 400 naming each refused item, and replaces the list when one is sent', async () => {
    const res = await post([
      { external_id: 'X-1', name: 'Xylo', aliases: 'shopify:1;stripe:cus_X' },
      { external_id: 'Y-1', name: 'Yak', aliases: ['shopify:1'] },
      { external_id: 'Z-1', name: 'Zed', aliases: 'stripe:X' },
    ]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      loaded: 1,
      rejected: 2,
      errors: [
        { index: 1, error: 'alias "shopify:1" already belongs to account "X-1" by an earlier row (remove it there first)' },
        { index: 2, error: 'aliases: stripe id "X" must be a Stripe customer id like cus_NffrFeUfNV2Hib' },
      ],
    });
    expect(await t.db.prisma.account.count()).toBe(1);

    const keep = await post([{ external_id: 'X-1', name: 'Xylo Ltd' }]);
    expect(keep.status).toBe(200);
    expect(await resolveAccountByAlias(t.db.prisma, 'stripe', 'cus_X')).toMatchObject({ externalId: 'X-1' });
    const replace = await post([{ external_id: 'X-1', name: 'Xylo Ltd', aliases: 'stripe:cus_X2' }, { external_id: 'Y-1', name: 'Yak', aliases: 'shopify:1' }]);
    expect(replace.status).toBe(200);
    expect(await resolveAccountByAlias(t.db.prisma, 'stripe', 'cus_X')).toBeNull();
    expect(await resolveAccountByAlias(t.db.prisma, 'shopify', '1')).toMatchObject({ externalId: 'Y-1' });
    const clear = await post([{ external_id: 'Y-1', name: 'Yak', aliases: null }]);
    expect(clear.status).toBe(200);
    expect(await t.db.prisma.accountAlias.count({ where: { account: { externalId: 'Y-1' } } })).toBe(0);
  });
});
