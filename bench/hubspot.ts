// hubspot: a full HubSpot account sync of N companies (default 10,000) and 50
// owners from the fake HubSpot into PostgreSQL, first run (every account new)
// and a second run (every account updated), with companies/s for each. The
// fake answers at loopback speed, so the figure is our side: paging, mapping,
// and one transaction per page of 100.
import { loadConfig } from '../src/config.js';
import { HubSpotClient } from '../src/connectors/hubspot/hubspot-client.js';
import { syncHubSpot } from '../src/connectors/hubspot/sync-hubspot.js';
import { createLogger } from '../src/logger.js';
import { createSlackClient } from '../src/slack/web-client.js';
import { FakeHubSpot, generateCompanies, type FakeOwner } from '../test/support/fake-hubspot.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { intArg, openPostgresBench, recordResult, resultLine } from './support.js';

export async function benchHubSpot(): Promise<string[]> {
  const count = intArg('companies', 10_000);
  const bench = await openPostgresBench();
  const hubspot = await new FakeHubSpot().start();
  const slack = await new FakeSlack().start();
  try {
    const owners: FakeOwner[] = Array.from({ length: 50 }, (_, i) => ({ id: String(41_000_000 + i), email: `owner${i}@widgets.example`, firstName: 'Owner', lastName: String(i), userId: 9_000_000 + i }));
    for (const o of owners.slice(0, 40)) slack.users.set(`U0OWN${o.id}`, { id: `U0OWN${o.id}`, email: o.email });
    hubspot.owners = owners;
    hubspot.companies = generateCompanies(count, owners);
    const logger = createLogger({ level: 'error' });
    const deps = () => ({
      db: bench.db,
      client: new HubSpotClient({ baseUrl: hubspot.url, token: hubspot.token }),
      slack: createSlackClient('xoxb-bench', loadConfig({ SLACK_API_URL: slack.apiUrl }), logger),
      clock: () => new Date(),
      logger,
      renewalProperty: 'contract_renewal_date',
    });
    const time = async () => {
      const started = performance.now();
      const result = await syncHubSpot(deps());
      if (!result.ran) throw new Error('the sync did not run');
      return { seconds: (performance.now() - started) / 1000, summary: result.summary };
    };
    const first = await time();
    const second = await time();
    const line = resultLine(`hubspot[${bench.label}]`, {
      companies: count,
      pages: first.summary.pages,
      first_seconds: first.seconds,
      first_companies_per_s: Math.round(count / first.seconds),
      created: first.summary.created,
      second_seconds: second.seconds,
      second_companies_per_s: Math.round(count / second.seconds),
      updated: second.summary.updated,
      owners_matched: first.summary.ownersMatched,
    });
    await recordResult(`hubspot[${bench.label}]`, line);
    return [line];
  } finally {
    await hubspot.stop();
    await slack.stop();
    await bench.drop();
  }
}
