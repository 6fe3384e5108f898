// The accounts API (and CSV) updates what it is sent: `name` is needed only to
// create an account, so an item for an existing account may carry just the
// fields that change — through the real server, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api-tokens/api-tokens.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DATABASE_KINDS)('POST /api/v1/accounts without a name (%s)', (kind) => {
  let t: TestServer;
  let token: string;
  const post = (body: unknown) =>
    fetch(`${t.server.url}/api/v1/accounts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await startTestServer(kind);
    token = (await createApiToken(t.db.prisma, 'crm-sync')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('updates an existing account from its external_id alone, keeping its name', async () => {
    expect((await post([{ external_id: 'ACME-1', name: 'Acme Corp', arr: 50_000, segment: 'smb' }])).status).toBe(200);
    const cleared = await post([{ external_id: 'ACME-1', arr: null }]);
    expect(await cleared.json()).toEqual({ loaded: 1, inserted: 0, updated: 1, rejected: 0 });
    expect(cleared.status).toBe(200);
    const stored = await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME-1' } });
    expect(stored).toMatchObject({ name: 'Acme Corp', arr: null, segment: 'smb' });
  });

  it('still needs a name to create one, and says so for that item only', async () => {
    const res = await post([{ external_id: 'NEW-1', arr: 10 }, { external_id: 'ACME-1', segment: 'enterprise' }, { external_id: 'NEW-2', name: 'Newco' }, { external_id: 'NEW-2', arr: 5 }]);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: '1 item(s) rejected; the other 2 were loaded',
      loaded: 2, inserted: 1, updated: 1, rejected: 1,
      errors: [{ index: 0, error: 'name is required to create account "NEW-1" (no account has this external_id yet)' }],
      superseded: 1, supersededItems: [{ index: 2, by: 3 }],
    });
    expect(await t.db.prisma.account.findUnique({ where: { externalId: 'NEW-1' } })).toBeNull();
    expect(await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'NEW-2' } })).toMatchObject({ name: 'Newco', arr: 5 });
    expect(await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'ACME-1' } })).toMatchObject({ name: 'Acme Corp', segment: 'enterprise' });
  });
});
