// The HubSpot account sync on both databases against a fake HubSpot with 250
// companies and 3 owners: paging, a 429 honoured, a dropped connection
// survived, a run that fails resumed from its page, and every company applied
// exactly once however often it is seen.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { HubSpotClient } from '../../../src/connectors/hubspot/hubspot-client.js';
import { HubSpotSyncError, syncHubSpot, type HubSpotSyncDeps } from '../../../src/connectors/hubspot/sync-hubspot.js';
import type { Database } from '../../../src/db/database.js';
import { importCsv } from '../../../src/ingest/import-csv.js';
import { createLogger } from '../../../src/logger.js';
import { createSlackClient } from '../../../src/slack/web-client.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';
import { FAKE_OWNERS, FakeHubSpot, generateCompanies } from '../../support/fake-hubspot.js';
import { FakeSlack } from '../../support/fake-slack.js';

describe.each(DATABASE_KINDS)('HubSpot sync (%s)', (kind) => {
  let db: Database;
  let hubspot: FakeHubSpot;
  let slack: FakeSlack;
  const waits: number[] = [];
  const deps = (maxAttempts = 4): HubSpotSyncDeps => {
    const config = loadConfig({ SLACK_API_URL: slack.apiUrl });
    const logger = createLogger({ level: 'error' });
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    return {
      db,
      client: new HubSpotClient({ baseUrl: hubspot.url, token: hubspot.token, sleep, maxAttempts, timeoutMs: 5_000 }),
      slack: createSlackClient('xoxb-test', config, logger, { retries: 0, timeoutMs: 2_000 }),
      clock: () => new Date('2026-11-20T12:00:00Z'),
      logger,
      renewalProperty: 'contract_renewal_date',
      sleep,
    };
  };
  const hubspotAliases = () => db.prisma.accountAlias.findMany({ where: { kind: 'hubspot' }, include: { account: true } });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    hubspot = await new FakeHubSpot().start();
    hubspot.owners = FAKE_OWNERS;
    hubspot.companies = generateCompanies(250, FAKE_OWNERS);
    slack = await new FakeSlack().start();
    slack.users.set('U0ANA00001', { id: 'U0ANA00001', email: 'Ana@Widgets.example' });
    slack.users.set('U0BEN00001', { id: 'U0BEN00001', email: 'ben@widgets.example' });
    // Known before the sync: one by its domain, one already linked to its HubSpot company.
    await importCsv(db.prisma, 'accounts', Readable.from(['external_id,name,domain,owner_slack_user_id,aliases\nACME-5,Acme Five,company-5.example,U0KEEP0001,stripe:cus_5\nCRM-2,Two,,,hubspot:5000002\n']));
  });
  afterAll(async () => {
    await hubspot.stop();
    await slack.stop();
    await db.close();
  });

  it('pages through 250 companies, waits out a 429 and survives a dropped connection, applying each company once', async () => {
    const companyCall = (n: number) => (r: { path: string }, _: number) => r.path === '/crm/v3/objects/companies' && hubspot.companyRequests().length === n;
    hubspot.failOnce(companyCall(2), { status: 429, retryAfter: '2' });
    hubspot.failOnce(companyCall(4), { drop: true });
    const result = await syncHubSpot(deps());
    if (!result.ran) throw new Error('did not run');
    expect(result.summary).toMatchObject({ resumedFrom: null, pages: 3, applied: 250, created: 248, updated: 2, owners: 3, ownersMatched: 2, rateLimited: 1, retried: 1 });
    expect(result.summary.unmatchedOwners).toEqual([{ ownerId: '41629781', email: 'cho@widgets.example', reason: 'no Slack user has this e-mail' }]);
    expect(waits).toContain(2_000);
    // 3 pages + the 429 + the dropped request; the cursor is HubSpot's, passed back as given.
    expect(hubspot.companyRequests().map((r) => r.query.get('after'))).toEqual([null, expect.any(String), expect.any(String), expect.any(String), expect.any(String)]);
    expect(hubspot.companyRequests().every((r) => r.query.get('limit') === '100' && r.query.get('properties') === 'name,domain,hubspot_owner_id,annualrevenue,contract_renewal_date')).toBe(true);

    const aliases = await hubspotAliases();
    expect(aliases).toHaveLength(250);
    expect(new Set(aliases.map((a) => a.value)).size).toBe(250);
    expect(new Set(aliases.map((a) => a.accountId)).size).toBe(250);
    expect(await db.prisma.account.count()).toBe(250);
    const byId = new Map(aliases.map((a) => [a.value, a.account]));
    // Matched by domain: keeps its external id and its other alias; HubSpot's owner (Ben, in Slack) replaces the CSV's.
    expect(byId.get('5000005')).toMatchObject({ externalId: 'ACME-5', name: 'Company 005', domain: 'company-5.example', arr: 50_000, ownerSlackUserId: 'U0BEN00001' });
    expect(await db.prisma.accountAlias.count({ where: { kind: 'stripe', value: 'cus_5' } })).toBe(1);
    expect(byId.get('5000002')).toMatchObject({ externalId: 'CRM-2', name: 'Company 002' });
    expect(byId.get('5000001')).toMatchObject({ externalId: 'hubspot-5000001', ownerSlackUserId: 'U0ANA00001', renewalDate: new Date('2027-02-15T00:00:00Z') });
    // Cho is not in Slack and company 7 has no owner: nothing is set.
    expect(byId.get('5000003')?.ownerSlackUserId).toBeNull();
    expect(byId.get('5000007')?.ownerSlackUserId).toBeNull();
    expect(byId.get('5000010')).toMatchObject({ domain: null, name: 'Company 010' });
    expect(await db.prisma.connectorSync.findUniqueOrThrow({ where: { provider: 'hubspot' } })).toMatchObject({ cursor: null, applied: 250, lastError: null });
  });

  it('stops on a page that keeps failing, keeps what it applied, and the next run resumes from that page', async () => {
    hubspot.requests.length = 0;
    hubspot.companies = generateCompanies(250, FAKE_OWNERS).map((c) => ({ ...c, properties: { ...c.properties, name: `${c.properties.name ?? ''} (renamed)` } }));
    const second = (r: { path: string; query: URLSearchParams }) => r.path === '/crm/v3/objects/companies' && r.query.get('after') !== null;
    for (let i = 0; i < 3; i += 1) hubspot.failOnce(second, { drop: true });
    const failed = await syncHubSpot(deps(3)).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(HubSpotSyncError);
    expect((failed as HubSpotSyncError).message).toMatch(/^the HubSpot sync stopped after 100 companies: HubSpot request \/crm\/v3\/objects\/companies failed after 3 attempts: the connection failed/);
    expect((failed as HubSpotSyncError).message).toContain('the next run resumes from the page that failed');
    const state = await db.prisma.connectorSync.findUniqueOrThrow({ where: { provider: 'hubspot' } });
    expect(state).toMatchObject({ applied: 100, lastError: expect.stringContaining('failed after 3 attempts') });
    expect(state.cursor).not.toBeNull();
    expect(await db.prisma.account.count({ where: { name: { endsWith: '(renamed)' } } })).toBe(100);

    hubspot.requests.length = 0;
    const resumed = await syncHubSpot(deps());
    if (!resumed.ran) throw new Error('did not run');
    expect(resumed.summary).toMatchObject({ resumedFrom: state.cursor, pages: 2, applied: 150, created: 0, updated: 150 });
    // The first page was not fetched again.
    expect(hubspot.companyRequests().map((r) => r.query.get('after'))).toEqual([state.cursor, expect.any(String)]);
    expect(await db.prisma.account.count({ where: { name: { endsWith: '(renamed)' } } })).toBe(250);
    expect(await db.prisma.connectorSync.findUniqueOrThrow({ where: { provider: 'hubspot' } })).toMatchObject({ cursor: null, applied: 250, lastError: null });
    expect(await hubspotAliases()).toHaveLength(250);
    expect(await db.prisma.account.count()).toBe(250);
  });

  it('a run while another holds the lock does nothing; a full re-run changes nothing but the values', async () => {
    const [first, second] = await Promise.all([syncHubSpot(deps()), syncHubSpot(deps())]);
    expect([first.ran, second.ran].sort()).toEqual([false, true]);
    const again = await syncHubSpot(deps());
    expect(again).toMatchObject({ ran: true, summary: { applied: 250, created: 0, updated: 250 } });
    expect(await db.prisma.account.count()).toBe(250);
    expect(await hubspotAliases()).toHaveLength(250);
  });

  it('never half-applies a page: a write failing on one company rolls back its whole page, and the next run applies it', async () => {
    hubspot.requests.length = 0;
    hubspot.companies = generateCompanies(250, FAKE_OWNERS).map((c) => ({ id: String(Number(c.id) + 1000), properties: { ...c.properties, domain: `x-${c.properties.domain ?? 'none'}` } }));
    await db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_company_5001150() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.kind = 'hubspot' AND NEW.value = '5001150' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await db.prisma.$executeRawUnsafe('CREATE TRIGGER refuse_company_5001150 BEFORE INSERT ON account_aliases FOR EACH ROW EXECUTE FUNCTION refuse_company_5001150()');
    const failed = await syncHubSpot(deps()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(HubSpotSyncError);
    const synced = async (from: number, to: number) =>
      db.prisma.accountAlias.count({ where: { kind: 'hubspot', value: { in: Array.from({ length: to - from + 1 }, (_, i) => String(from + i)) } } });
    expect(await synced(5001001, 5001100)).toBe(100);
    expect(await synced(5001101, 5001200)).toBe(0);
    expect(await db.prisma.account.count({ where: { externalId: { in: Array.from({ length: 100 }, (_, i) => `hubspot-${5001101 + i}`) } } })).toBe(0);
    await db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_company_5001150 ON account_aliases');
    await db.prisma.$executeRawUnsafe('DROP FUNCTION refuse_company_5001150()');
    const resumed = await syncHubSpot(deps());
    expect(resumed).toMatchObject({ ran: true, summary: { pages: 2, applied: 150, created: 150 } });
    expect(await synced(5001001, 5001250)).toBe(250);
  });

  it('gives an account found by domain to one company only; a second company with that domain gets its own account', async () => {
    await importCsv(db.prisma, 'accounts', Readable.from(['external_id,name,domain\nSHARED,Shared Ltd,shared.example\n']));
    hubspot.companies = [
      { id: '7000001', properties: { name: 'Shared Holding', domain: 'shared.example' } },
      { id: '7000002', properties: { name: 'Shared Subsidiary', domain: 'https://shared.example/' } },
    ];
    const result = await syncHubSpot(deps());
    expect(result).toMatchObject({ ran: true, summary: { applied: 2, created: 1, updated: 1 } });
    const owners = await db.prisma.accountAlias.findMany({ where: { kind: 'hubspot', value: { in: ['7000001', '7000002'] } }, include: { account: true }, orderBy: { value: 'asc' } });
    expect(owners.map((a) => [a.value, a.account.externalId, a.account.name])).toEqual([
      ['7000001', 'SHARED', 'Shared Holding'],
      ['7000002', 'hubspot-7000002', 'Shared Subsidiary'],
    ]);
  });

  it('stops at once, naming HUBSPOT_TOKEN, when HubSpot refuses the token', async () => {
    const refused = await syncHubSpot({ ...deps(), client: new HubSpotClient({ baseUrl: hubspot.url, token: 'pat-na1-revoked', sleep: async () => undefined }) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HubSpotSyncError);
    expect((refused as Error).message).toContain('HubSpot refused HUBSPOT_TOKEN (401); it must be a private app token with the crm.objects.companies.read and crm.objects.owners.read scopes');
    expect((refused as Error).message).not.toContain('pat-na1-revoked');
    expect(await db.prisma.connectorSync.findUniqueOrThrow({ where: { provider: 'hubspot' } })).toMatchObject({ lastError: expect.stringContaining('refused HUBSPOT_TOKEN') });
  });
});
