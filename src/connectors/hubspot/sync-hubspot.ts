// `account-health sync hubspot` and the scheduled sync: owners first (mapped to
// Slack users), then companies page by page. Each page is applied in one
// transaction with the cursor of the next page, so a run
// that fails (HubSpot down, a page that keeps failing) is resumed by the next
// run from the page that failed, and no company is ever half-applied.
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../app-deps.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { applyCompanies } from './apply-company.js';
import { HubSpotClient, type HubSpotOwner } from './hubspot-client.js';
import { BASE_PROPERTIES, mapCompany } from './map-company.js';
import { mapOwnersToSlack, type OwnerMapping } from './owner-slack-users.js';

export const HUBSPOT_SYNC = 'hubspot';

export interface HubSpotSyncDeps {
  db: Database;
  client: HubSpotClient;
  /** null without SLACK_BOT_TOKEN: owners are then left unmapped. */
  slack: WebClient | null;
  clock: Clock;
  logger: Logger;
  renewalProperty: string | undefined;
  sleep?: (ms: number) => Promise<void>;
}

export interface HubSpotSyncSummary {
  /** The cursor the run started from when it resumed a failed one. */
  resumedFrom: string | null;
  pages: number;
  /** Companies applied by this run. */
  applied: number;
  created: number;
  updated: number;
  owners: number;
  ownersMatched: number;
  unmatchedOwners: OwnerMapping['unmatched'];
  problems: string[];
  rateLimited: number;
  retried: number;
}

/** The run stopped; the companies applied so far stay, and the next run resumes at the failed page. */
export class HubSpotSyncError extends Error {
  constructor(message: string, readonly summary: HubSpotSyncSummary, options: { cause: unknown }) {
    super(message, options);
    this.name = 'HubSpotSyncError';
  }
}

const MAX_LISTED_PROBLEMS = 50;

export async function syncHubSpot(deps: HubSpotSyncDeps, onPage?: (summary: HubSpotSyncSummary) => void): Promise<{ ran: false } | { ran: true; summary: HubSpotSyncSummary }> {
  const outcome = await deps.db.tryWithLock('hubspot-sync', () => runSync(deps, onPage));
  return outcome.ran ? { ran: true, summary: outcome.value } : { ran: false };
}

async function runSync(deps: HubSpotSyncDeps, onPage?: (summary: HubSpotSyncSummary) => void): Promise<HubSpotSyncSummary> {
  const { prisma } = deps.db;
  const log = deps.logger.child('hubspot');
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const state = await prisma.connectorSync.findUnique({ where: { provider: HUBSPOT_SYNC } });
  const resumedFrom = state?.cursor ?? null;
  const summary: HubSpotSyncSummary = { resumedFrom, pages: 0, applied: 0, created: 0, updated: 0, owners: 0, ownersMatched: 0, unmatchedOwners: [], problems: [], rateLimited: 0, retried: 0 };
  const finish = () => Object.assign(summary, { rateLimited: deps.client.stats.rateLimited, retried: deps.client.stats.retried });
  const now = deps.clock();
  await prisma.connectorSync.upsert({
    where: { provider: HUBSPOT_SYNC },
    create: { provider: HUBSPOT_SYNC, startedAt: now, updatedAt: now },
    // A resumed run keeps counting the interrupted run's companies.
    update: resumedFrom === null ? { startedAt: now, applied: 0, updatedAt: now } : { updatedAt: now },
  });
  let cursor: string | undefined = resumedFrom ?? undefined;
  try {
    const owners = await listAllOwners(deps.client);
    const mapping = await mapOwnersToSlack(owners, deps.slack, sleep);
    Object.assign(summary, { owners: owners.length, ownersMatched: mapping.slackUserByOwner.size, unmatchedOwners: mapping.unmatched });
    const properties = [...BASE_PROPERTIES, ...(deps.renewalProperty ? [deps.renewalProperty] : [])];
    if (resumedFrom !== null) log.info('resuming an interrupted sync', { after: resumedFrom });
    for (;;) {
      const page = await deps.client.listCompanies(properties, cursor);
      const companies = page.results.map((company) => {
        const fields = mapCompany(company, deps.renewalProperty);
        for (const problem of fields.problems) if (summary.problems.length < MAX_LISTED_PROBLEMS) summary.problems.push(problem);
        return { fields, ownerSlackUserId: fields.ownerId === undefined ? undefined : mapping.slackUserByOwner.get(fields.ownerId) };
      });
      // The page and the cursor after it commit together: a run that stops
      // later resumes after this page, never half-way through it.
      const applied = await applyCompanies(prisma, companies, (tx) =>
        tx.connectorSync.update({
          where: { provider: HUBSPOT_SYNC },
          data: { cursor: page.after ?? null, applied: { increment: companies.length }, updatedAt: deps.clock() },
        }),
      );
      summary.created += applied.created;
      summary.updated += applied.updated;
      summary.applied += companies.length;
      summary.pages += 1;
      cursor = page.after;
      onPage?.(finish());
      if (cursor === undefined) break;
    }
    await prisma.connectorSync.update({ where: { provider: HUBSPOT_SYNC }, data: { finishedAt: deps.clock(), lastError: null, lastErrorAt: null, updatedAt: deps.clock() } });
    log.info('sync finished', { applied: summary.applied, created: summary.created, updated: summary.updated, pages: summary.pages, owners: summary.owners, ownersMatched: summary.ownersMatched });
    return finish();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await prisma.connectorSync
      .update({ where: { provider: HUBSPOT_SYNC }, data: { lastError: reason.slice(0, 1000), lastErrorAt: deps.clock(), updatedAt: deps.clock() } })
      .catch((recordError: unknown) => log.error('could not record the failed sync', { error: recordError }));
    const where = cursor === undefined ? 'from the first page' : 'from the page that failed';
    throw new HubSpotSyncError(`the HubSpot sync stopped after ${summary.applied} companies: ${reason}. Companies applied so far are kept; the next run resumes ${where}.`, finish(), { cause: error });
  }
}

async function listAllOwners(client: HubSpotClient): Promise<HubSpotOwner[]> {
  const owners: HubSpotOwner[] = [];
  let after: string | undefined;
  do {
    const page = await client.listOwners(after);
    owners.push(...page.results);
    after = page.after;
  } while (after !== undefined);
  return owners;
}
