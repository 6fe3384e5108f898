// The HubSpot sync as a user runs it: `account-health sync hubspot` through the
// real CLI against a fake HubSpot and a fake Slack, and `serve` syncing on its
// schedule once HUBSPOT_TOKEN is set.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAccountByAlias } from '../../src/accounts/alias-store.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createPostgresDatabase } from '../support/databases.js';
import { FAKE_OWNERS, FakeHubSpot, generateCompanies } from '../support/fake-hubspot.js';
import { FakeSlack } from '../support/fake-slack.js';
import { PROJECT_DIR, runCliProcess } from '../support/spawn-cli.js';
import { startTestServer } from '../support/test-server.js';

describe('account-health sync hubspot', () => {
  let hubspot: FakeHubSpot;
  let slack: FakeSlack;
  let url: string;
  let db: Database;
  let env: Record<string, string>;
  beforeAll(async () => {
    hubspot = await new FakeHubSpot().start();
    hubspot.owners = FAKE_OWNERS;
    hubspot.companies = generateCompanies(250, FAKE_OWNERS);
    slack = await new FakeSlack().start();
    slack.users.set('U0ANA00001', { id: 'U0ANA00001', email: 'ana@widgets.example' });
    url = await createPostgresDatabase();
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test' });
    env = {
      DATABASE_URL: url,
      HUBSPOT_TOKEN: hubspot.token,
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_RENEWAL_PROPERTY: 'contract_renewal_date',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: slack.apiUrl,
    };
  });
  afterAll(async () => {
    await db.close();
    await hubspot.stop();
    await slack.stop();
  });

  it('refuses to start without HUBSPOT_TOKEN, in one line naming it', async () => {
    const { HUBSPOT_TOKEN: _token, ...rest } = env;
    const run = await runCliProcess(['sync', 'hubspot'], rest);
    expect(run.code).toBe(1);
    expect(run.output.trim()).toBe('Configuration error: HUBSPOT_TOKEN is required to sync HubSpot (a private app token with the crm.objects.companies.read and crm.objects.owners.read scopes)');
    const usage = await runCliProcess(['sync', 'salesforce'], env);
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('unknown sync "salesforce" (only hubspot)');
  });

  it('syncs 250 companies through a 429 and a dropped connection, and says what it did', async () => {
    hubspot.failOnce((r) => r.path === '/crm/v3/objects/companies' && hubspot.companyRequests().length === 2, { status: 429, retryAfter: '1' });
    hubspot.failOnce((r) => r.path === '/crm/v3/objects/companies' && hubspot.companyRequests().length === 4, { drop: true });
    const run = await runCliProcess(['sync', 'hubspot'], env);
    expect(run.output).toContain('HubSpot: 250 companies applied (250 new accounts, 0 updated) in 3 page(s); 3 owners, 1 matched to Slack users.');
    expect(run.output).toContain('owner 41629780 <ben@widgets.example>: no Slack user has this e-mail');
    expect(run.output).toContain('(1 rate-limited request(s) waited out, 1 retried)');
    expect(run.code).toBe(0);
    expect(await db.prisma.accountAlias.count({ where: { kind: 'hubspot' } })).toBe(250);
    expect(await resolveAccountByAlias(db.prisma, 'hubspot', '5000004')).toMatchObject({ externalId: 'hubspot-5000004' });
    expect(await db.prisma.account.findUniqueOrThrow({ where: { externalId: 'hubspot-5000001' } })).toMatchObject({ ownerSlackUserId: 'U0ANA00001', arr: 10_000 });
    expect(slack.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual(FAKE_OWNERS.map((o) => o.email));
    // The manifest asks for the scope users.lookupByEmail needs.
    expect(await readFile(path.join(PROJECT_DIR, 'manifests', 'slack-app-manifest.yaml'), 'utf8')).toMatch(/- users:read\.email\b/);
  }, 120_000);

  it('a run that stops part-way is resumed by the next', async () => {
    hubspot.requests.length = 0;
    for (let i = 0; i < 5; i += 1) hubspot.failOnce((r) => r.path === '/crm/v3/objects/companies' && r.query.get('after') !== null, { status: 503 });
    const failed = await runCliProcess(['sync', 'hubspot'], env);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/the HubSpot sync stopped after 100 companies: HubSpot request \/crm\/v3\/objects\/companies failed after 5 attempts: HubSpot answered 503\. Companies applied so far are kept; the next run resumes from the page that failed\./);
    const resumed = await runCliProcess(['sync', 'hubspot'], env);
    expect(resumed.output).toContain('Resumed the sync that stopped part-way.');
    expect(resumed.output).toContain('HubSpot: 150 companies applied (0 new accounts, 150 updated) in 2 page(s)');
    expect(resumed.code).toBe(0);
    expect(await db.prisma.account.count()).toBe(250);
  }, 120_000);
});

describe('serve syncs HubSpot on its schedule when HUBSPOT_TOKEN is set', () => {
  it('pulls the companies without anyone asking', async () => {
    const hubspot = await new FakeHubSpot().start();
    hubspot.owners = FAKE_OWNERS;
    hubspot.companies = generateCompanies(120, FAKE_OWNERS);
    const t = await startTestServer('pglite', {
      env: { HUBSPOT_TOKEN: hubspot.token, HUBSPOT_API_URL: hubspot.url, RECOMPUTE_CRON: '*/2 * * * * *' },
      runBackgroundJobs: true,
    });
    try {
      const deadline = Date.now() + 30_000;
      while ((await t.db.prisma.accountAlias.count({ where: { kind: 'hubspot' } })) < 120 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(await t.db.prisma.accountAlias.count({ where: { kind: 'hubspot' } })).toBe(120);
      expect(hubspot.requests.every((r) => r.authorization === `Bearer ${hubspot.token}`)).toBe(true);
      // The token never reaches the log.
      expect(t.logLines.join('\n')).not.toContain(hubspot.token);
    } finally {
      await t.close();
      await hubspot.stop();
    }
  }, 60_000);
});
