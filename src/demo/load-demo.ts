// Loads the generated demo portfolio into the current database and scores it,
// with a quarter of weekly backfilled history so trends show at once.
//
// It never touches real data: demo accounts have DEMO- ids, and a database
// that holds any other account is refused. Running it again replaces the
// earlier demo's observations, snapshots and alerts instead of adding to them.
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { upsertAccounts } from '../ingest/write-accounts.js';
import { upsertObservations, type ObservationInput } from '../ingest/write-observations.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';
import { backfillScores } from '../scoring-run/backfill.js';
import { recomputeScores, type AfterSnapshots, type RecomputeResult, type Tx } from '../scoring-run/recompute.js';
import { DEMO_ID_PREFIX, generatePortfolio, type DemoObservation, type Trajectory } from './generate-portfolio.js';
import { ingestSegmentMessages } from '../events/ingest-messages.js';
import { generateAccountEvents, NOT_FROM_EVENTS, type DemoMessage } from './generate-events.js';
import { loadRenewalHistory } from './load-renewal-history.js';

const DAY_MS = 86_400_000;
const BATCH = 10_000;
const EVENT_BATCH = 2_000;
/** Weekly scores backfilled before today's, so trends show at once. */
const BACKFILL_WEEKS = 13;
const DEMO_SOURCE = 'demo';
/** The largest demo (200,000 accounts, ~100 M observations) loads in one transaction. */
const LOAD_TIMEOUT_MS = 60 * 60_000;

export class DemoRefusedError extends Error {
  constructor(realAccounts: number, examples: string[]) {
    super(
      `This database already holds ${realAccounts} account(s) that are not demo accounts (e.g. ${examples.join(', ')}). ` +
        `The demo only loads into an empty database or one holding only demo accounts (ids ${DEMO_ID_PREFIX}…), so invented ` +
        'data never mixes with yours. Load it into a separate database instead, e.g. DATA_DIR=./demo-data npm run demo.',
    );
    this.name = 'DemoRefusedError';
  }
}

export interface DemoResult {
  accounts: number;
  /** Observations written directly (CSM sentiment, renewal countdown, and every measure's weeks before the backfill); the rest are derived from events. */
  observations: number;
  /** Segment messages sent through the event intake. */
  events: number;
  trajectories: Map<string, Trajectory>;
  /** Declining accounts → the measures they decline on. */
  declines: Map<string, readonly string[]>;
  current: RecomputeResult;
}

const utcDay = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

export async function loadDemo(
  deps: { db: Database; clock: () => Date; logger: Logger },
  options: { seed: number; accounts?: number; afterSnapshots?: AfterSnapshots; onProgress?: (message: string) => void },
): Promise<DemoResult> {
  const prisma = deps.db.prisma;
  const asOf = deps.clock();
  const today = utcDay(asOf);
  await refuseRealAccounts(deps.db);
  await ensureCatalogueAndModels(prisma);
  const portfolio = generatePortfolio({ seed: options.seed, asOf, ...(options.accounts ? { accounts: options.accounts } : {}) });
  const firstScoredAt = new Date(today.getTime() - BACKFILL_WEEKS * 7 * DAY_MS);
  // All or nothing: an interrupted load (Ctrl-C, `npm run demo | head` closing the pipe, a full disk)
  // leaves the earlier state, never a demo with half its history.
  const loaded = await prisma.$transaction(
    async (tx) => {
      const removed = await removeEarlierDemo(tx);
      await upsertAccounts(tx, portfolio.accounts);
      const ids = new Map(
        // An array parameter, not an IN list: up to 200,000 demo accounts, past the 32,767 bind parameters a statement may carry.
        (await tx.$queryRaw<{ id: number; external_id: string }[]>`SELECT id, external_id FROM accounts WHERE external_id = ANY(${portfolio.accounts.map((a) => a.externalId)}::text[])`).map((a) => [a.external_id, a.id]),
      );
      // Most measures arrive as events (group calls and tracks, as a team would send them) and are
      // derived by each recomputation from the first backfilled week on; CSM sentiment and the renewal
      // countdown stay observations, and so do the older weeks' planned values (renewals judged then need them).
      const source = await demoSource(tx);
      const byExternalId = new Map(portfolio.accounts.map((a, i) => [a.externalId, { account: a, index: i }]));
      let written = 0;
      let sent = 0;
      let batch: ObservationInput[] = [];
      let messages: DemoMessage[] = [];
      const flush = async (force: boolean) => {
        if (batch.length >= BATCH || (force && batch.length > 0)) {
          await upsertObservations(tx, batch, 'demo');
          written += batch.length;
          batch = [];
        }
        while (messages.length >= EVENT_BATCH || (force && messages.length > 0)) {
          const chunk = messages.splice(0, EVENT_BATCH);
          const result = await ingestSegmentMessages({ tx }, source, chunk, asOf);
          const refused = result.results.find((r) => r.status === 'refused');
          if (refused) throw new Error(`a generated demo event was refused: ${JSON.stringify(refused)}`);
          sent += chunk.length;
        }
      };
      const portfolioStart = new Date(today.getTime() - 51 * 7 * DAY_MS);
      let pending: DemoObservation[] = [];
      const finishAccount = async () => {
        const first = pending[0];
        const entry = first ? byExternalId.get(first.externalId) : undefined;
        if (entry) messages.push(...generateAccountEvents(entry.account, entry.index, pending, portfolioStart, firstScoredAt));
        pending = [];
        await flush(false);
      };
      for (const o of portfolio.observations()) {
        const accountId = ids.get(o.externalId);
        if (accountId === undefined) continue;
        if (pending.length > 0 && pending[0]?.externalId !== o.externalId) await finishAccount();
        pending.push(o);
        // Event metrics are derived only at the scored as-ofs (the backfill onwards); the weeks before
        // keep their planned values as observations, so renewals judged then (model evaluate,
        // model suggest) have inputs. They are older than any derived value, so newer wins.
        if (NOT_FROM_EVENTS.has(o.metricKey) || o.observedAt.getTime() < firstScoredAt.getTime()) {
          batch.push({ accountId, metricKey: o.metricKey, value: o.value, observedAt: o.observedAt });
        }
      }
      await finishAccount();
      await flush(true);
      const renewals = await loadRenewalHistory(tx, { seed: options.seed, asOf, accounts: portfolio.accounts });
      return { removed, written, sent, renewals };
    },
    { timeout: LOAD_TIMEOUT_MS, maxWait: 30_000 },
  );
  const { written, sent } = loaded;
  if (loaded.removed > 0) options.onProgress?.(`replaced the earlier demo's history (${loaded.removed} observations)`);
  options.onProgress?.(`loaded ${portfolio.accounts.length} accounts`);
  options.onProgress?.(`sent ${sent} events (group calls and tracks over 52 weeks) and ${written} observations (sentiment, renewal countdown, and the weeks before the backfill)`);

  const { renewals } = loaded;
  options.onProgress?.(`loaded two years of renewals: ${renewals.outcomes} outcomes (${renewals.churned} churned), ${renewals.formerCustomers} former customers`);

  await backfillScores(deps, { from: firstScoredAt, to: new Date(today.getTime() - 7 * DAY_MS), stepDays: 7 });
  options.onProgress?.('backfilled 13 weeks of scores');
  const current = await recomputeScores(deps, { trigger: 'demo', asOf, ...(options.afterSnapshots ? { afterSnapshots: options.afterSnapshots } : {}) });
  return { accounts: portfolio.accounts.length, observations: written, events: sent, trajectories: portfolio.trajectories, declines: portfolio.declines, current };
}

const demoPattern = `${DEMO_ID_PREFIX}%`;

async function refuseRealAccounts(db: Database): Promise<void> {
  const where = { NOT: { externalId: { startsWith: DEMO_ID_PREFIX } } };
  const real = await db.prisma.account.count({ where });
  if (real === 0) return;
  const examples = await db.prisma.account.findMany({ where, select: { externalId: true }, orderBy: { id: 'asc' }, take: 3 });
  throw new DemoRefusedError(real, examples.map((a) => a.externalId));
}

/** Removes what an earlier demo run generated (inside the load's transaction); returns how many observations went. */
async function removeEarlierDemo(tx: Tx): Promise<number> {
  // Alerts and snapshots were derived from the old history; the new run derives them again.
  await tx.$executeRaw`DELETE FROM alerts WHERE account_id IN (SELECT id FROM accounts WHERE external_id LIKE ${demoPattern})`;
  await tx.$executeRaw`DELETE FROM score_snapshots WHERE account_id IN (SELECT id FROM accounts WHERE external_id LIKE ${demoPattern})`;
  // Sentiment recorded in Slack on a demo account is someone's input: only generated observations go.
  const removed = await tx.$executeRaw`
    DELETE FROM metric_observations WHERE source IN ('demo', 'events') AND account_id IN (SELECT id FROM accounts WHERE external_id LIKE ${demoPattern})`;
  // The demo's events and what was derived from them go too; the next pass derives everything again.
  await tx.$executeRaw`DELETE FROM events WHERE source_id IN (SELECT id FROM event_sources WHERE name = ${DEMO_SOURCE})`;
  await tx.$executeRaw`DELETE FROM event_user_accounts WHERE account_id IN (SELECT id FROM accounts WHERE external_id LIKE ${demoPattern})`;
  await tx.$executeRaw`DELETE FROM derivation_state`;
  await tx.$executeRaw`DELETE FROM score_runs r WHERE r.trigger IN ('demo', 'backfill') AND NOT EXISTS (SELECT 1 FROM score_snapshots s WHERE s.run_id = r.id)`;
  return removed;
}

/** The source the demo's events belong to (no write key: nothing outside the demo sends to it). */
async function demoSource(tx: Tx): Promise<{ id: number }> {
  const existing = await tx.eventSource.findFirst({ where: { name: DEMO_SOURCE, revokedAt: null }, select: { id: true } });
  return existing ?? tx.eventSource.create({ data: { name: DEMO_SOURCE, kind: 'segment' }, select: { id: true } });
}
