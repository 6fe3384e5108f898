// `account-health sync hubspot`: pull companies and owners from HubSpot now.
import { hubspotSyncDeps } from '../connectors/hubspot/create-hubspot-sync.js';
import { HubSpotSyncError, syncHubSpot, type HubSpotSyncSummary } from '../connectors/hubspot/sync-hubspot.js';
import { cliDeps, UsageError, withDatabase, type CliCommand, type CliIo } from './command.js';

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'pull accounts and owners from a CRM now (sync hubspot)',
  usage: `account-health sync hubspot

Pulls every HubSpot company (name, domain, owner, annual revenue, and the renewal date in
HUBSPOT_RENEWAL_PROPERTY) and creates or updates its account, linked by a hubspot:<id> alias.
Owners are matched to Slack users by e-mail (users.lookupByEmail). A run that stops part-way
is resumed by the next one from the page that failed. Needs HUBSPOT_TOKEN; serve also runs it
on RECOMPUTE_CRON while HUBSPOT_TOKEN is set.`,
  async run(args, config, io) {
    const [provider, ...rest] = args;
    if (provider !== 'hubspot' || rest.length > 0) throw new UsageError(provider === undefined ? 'say which CRM: `sync hubspot`' : `unknown sync "${args.join(' ')}" (only hubspot)`);
    return withDatabase(config, 'sync', async (db) => {
      const deps = cliDeps(config, db);
      const sync = hubspotSyncDeps(config, db, deps.logger, deps.clock, deps.slackConfigured ? deps.slack : null);
      try {
        const result = await syncHubSpot(sync, (s) => io.err(`… ${s.applied} companies applied (${s.pages} page${s.pages === 1 ? '' : 's'})`));
        if (!result.ran) {
          io.err('Another process is syncing HubSpot right now; nothing was done.');
          return 1;
        }
        printSummary(io, result.summary, deps.slackConfigured);
        return 0;
      } catch (error) {
        if (!(error instanceof HubSpotSyncError)) throw error;
        io.err(error.message);
        return 1;
      }
    });
  },
};

function printSummary(io: CliIo, s: HubSpotSyncSummary, slackConfigured: boolean): void {
  if (s.resumedFrom !== null) io.out('Resumed the sync that stopped part-way.');
  io.out(`HubSpot: ${s.applied} companies applied (${s.created} new accounts, ${s.updated} updated) in ${s.pages} page(s); ${s.owners} owners, ${s.ownersMatched} matched to Slack users.`);
  if (!slackConfigured && s.owners > 0) io.out('Owners were not matched: set SLACK_BOT_TOKEN to look them up in Slack.');
  else for (const o of s.unmatchedOwners) io.out(`  owner ${o.ownerId}${o.email ? ` <${o.email}>` : ''}: ${o.reason}`);
  for (const problem of s.problems) io.out(`  ${problem}`);
  if (s.rateLimited > 0 || s.retried > 0) io.out(`(${s.rateLimited} rate-limited request(s) waited out, ${s.retried} retried)`);
}
