// Loads the generated demo portfolio into the current database and scores it,
// with a quarter of weekly backfilled history so trends show at once.
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { upsertAccounts } from '../ingest/write-accounts.js';
import { upsertObservations, type ObservationInput } from '../ingest/write-observations.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';
import { backfillScores } from '../scoring-run/backfill.js';
import { recomputeScores, type AfterSnapshots, type RecomputeResult } from '../scoring-run/recompute.js';
import { generatePortfolio, type Trajectory } from './generate-portfolio.js';

const DAY_MS = 86_400_000;
const BATCH = 10_000;

export interface DemoResult {
  accounts: number;
  observations: number;
  trajectories: Map<string, Trajectory>;
  current: RecomputeResult;
}

export async function loadDemo(
  deps: { db: Database; clock: () => Date; logger: Logger },
  options: { seed: number; accounts?: number; afterSnapshots?: AfterSnapshots; onProgress?: (message: string) => void },
): Promise<DemoResult> {
  const prisma = deps.db.prisma;
  const asOf = deps.clock();
  await ensureCatalogueAndModels(prisma);
  const portfolio = generatePortfolio({ seed: options.seed, asOf, ...(options.accounts ? { accounts: options.accounts } : {}) });
  await upsertAccounts(prisma, portfolio.accounts);
  const ids = new Map(
    (await prisma.account.findMany({ where: { externalId: { in: portfolio.accounts.map((a) => a.externalId) } }, select: { id: true, externalId: true } })).map((a) => [a.externalId, a.id]),
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

  await backfillScores(deps, { from: new Date(asOf.getTime() - 13 * 7 * DAY_MS), to: new Date(asOf.getTime() - 7 * DAY_MS), stepDays: 7 });
  options.onProgress?.('backfilled 13 weeks of scores');
  const current = await recomputeScores(deps, { trigger: 'demo', asOf, ...(options.afterSnapshots ? { afterSnapshots: options.afterSnapshots } : {}) });
  return { accounts: portfolio.accounts.length, observations: written, trajectories: portfolio.trajectories, current };
}
