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
import { recomputeScores, type AfterSnapshots, type RecomputeResult } from '../scoring-run/recompute.js';
import { DEMO_ID_PREFIX, generatePortfolio, type Trajectory } from './generate-portfolio.js';
import { loadRenewalHistory } from './load-renewal-history.js';

const DAY_MS = 86_400_000;
const BATCH = 10_000;

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
  observations: number;
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
  const removed = await removeEarlierDemo(deps.db);
  if (removed > 0) options.onProgress?.(`replaced the earlier demo's history (${removed} observations)`);
  const portfolio = generatePortfolio({ seed: options.seed, asOf, ...(options.accounts ? { accounts: options.accounts } : {}) });
  await upsertAccounts(prisma, portfolio.accounts);
  const ids = new Map(
    // An array parameter, not an IN list: up to 200,000 demo accounts, past the 32,767 bind parameters a statement may carry.
    (await prisma.$queryRaw<{ id: number; external_id: string }[]>`SELECT id, external_id FROM accounts WHERE external_id = ANY(${portfolio.accounts.map((a) => a.externalId)}::text[])`).map((a) => [a.external_id, a.id]),
  );
  options.onProgress?.(`loaded ${portfolio.accounts.length} accounts`);

  let written = 0;
  let batch: ObservationInput[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await upsertObservations(prisma, batch, 'demo');
    written += batch.length;
    batch = [];
  };
  for (const o of portfolio.observations()) {
    const accountId = ids.get(o.externalId);
    if (accountId === undefined) continue;
    batch.push({ accountId, metricKey: o.metricKey, value: o.value, observedAt: o.observedAt });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  options.onProgress?.(`loaded ${written} metric observations (52 weeks)`);
  const renewals = await loadRenewalHistory(prisma, { seed: options.seed, asOf, accounts: portfolio.accounts });
  options.onProgress?.(`loaded two years of renewals: ${renewals.outcomes} outcomes (${renewals.churned} churned), ${renewals.formerCustomers} former customers`);

  await backfillScores(deps, { from: new Date(today.getTime() - 13 * 7 * DAY_MS), to: new Date(today.getTime() - 7 * DAY_MS), stepDays: 7 });
  options.onProgress?.('backfilled 13 weeks of scores');
  const current = await recomputeScores(deps, { trigger: 'demo', asOf, ...(options.afterSnapshots ? { afterSnapshots: options.afterSnapshots } : {}) });
  return { accounts: portfolio.accounts.length, observations: written, trajectories: portfolio.trajectories, declines: portfolio.declines, current };
}

const demoPattern = `${DEMO_ID_PREFIX}%`;

async function refuseRealAccounts(db: Database): Promise<void> {
  const where = { NOT: { externalId: { startsWith: DEMO_ID_PREFIX } } };
  const real = await db.prisma.account.count({ where });
  if (real === 0) return;
  const examples = await db.prisma.account.findMany({ where, select: { externalId: true }, orderBy: { id: 'asc' }, take: 3 });
  throw new DemoRefusedError(real, examples.map((a) => a.externalId));
}

/** Removes what an earlier demo run generated; returns how many observations went. */
async function removeEarlierDemo(db: Database): Promise<number> {
  return db.prisma.$transaction(
    async (tx) => {
      // Alerts and snapshots were derived from the old history; the new run derives them again.
      await tx.$executeRaw`DELETE FROM alerts WHERE account_id IN (SELECT id FROM accounts WHERE external_id LIKE ${demoPattern})`;
      await tx.$executeRaw`DELETE FROM score_snapshots WHERE account_id IN (SELECT id FROM accounts WHERE external_id LIKE ${demoPattern})`;
      // Sentiment recorded in Slack on a demo account is someone's input: only generated observations go.
      const removed = await tx.$executeRaw`
        DELETE FROM metric_observations WHERE source = 'demo' AND account_id IN (SELECT id FROM accounts WHERE external_id LIKE ${demoPattern})`;
      await tx.$executeRaw`DELETE FROM score_runs r WHERE r.trigger IN ('demo', 'backfill') AND NOT EXISTS (SELECT 1 FROM score_snapshots s WHERE s.run_id = r.id)`;
      return removed;
    },
    { timeout: 300_000 },
  );
}
