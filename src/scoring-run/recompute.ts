// A recomputation: every account in scope scored with its segment's model and
// stored as snapshots in ONE transaction together with its run row and the
// alerts it causes — a failed run leaves nothing half-written behind.
import type { Clock } from '../app-deps.js';
import type { Database } from '../db/database.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { ensureCatalogueAndModels, loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { computeScore } from '../scoring/compute-score.js';
import { loadLatestObservations, loadScoringAccounts, withDerivedRenewal } from './load-score-inputs.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type RunTrigger = 'schedule' | 'cli' | 'admin' | 'import' | 'demo' | 'backfill';

export interface RunInfo {
  runId: number;
  asOf: Date;
  trigger: RunTrigger;
}

export type AfterSnapshots = (tx: Tx, run: RunInfo) => Promise<{ alertsOpened: number }>;

export interface RecomputeDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
}

export interface RecomputeOptions {
  trigger: RunTrigger;
  asOf?: Date;
  /** Keep snapshots that already exist at this as-of (backfill) instead of replacing them. */
  skipExisting?: boolean;
  afterSnapshots?: AfterSnapshots;
}

export interface RecomputeResult {
  runId: number;
  asOf: Date;
  accountsScored: number;
  byBand: Record<string, number>;
  alertsOpened: number;
  durationMs: number;
}

const BATCH = 5_000;
/** A full recompute of a large portfolio is one long transaction by design. */
const TRANSACTION_TIMEOUT_MS = 15 * 60_000;

export async function recomputeScores(deps: RecomputeDeps, options: RecomputeOptions): Promise<RecomputeResult> {
  const started = performance.now();
  const asOf = options.asOf ?? deps.clock();
  const prisma = deps.db.prisma;
  await ensureCatalogueAndModels(prisma);
  const [models, metrics, accounts] = await Promise.all([loadActiveModels(prisma), loadMetricDefinitions(prisma), loadScoringAccounts(prisma, asOf)]);
  const metricKeys = [...new Set([...models.byKey.values()].flatMap((m) => m.measures.map((x) => x.metricKey)))];
  const latest = await loadLatestObservations(prisma, asOf, metricKeys);

  const byBand: Record<string, number> = {};
  const rows = accounts.map((account) => {
    const model = models.forSegment(account.segment);
    const result = computeScore(model, withDerivedRenewal(latest.get(account.id), account, asOf), metrics, asOf);
    byBand[result.band] = (byBand[result.band] ?? 0) + 1;
    return { accountId: account.id, versionId: model.versionId, result };
  });

  try {
    const outcome = await prisma.$transaction(
      async (tx) => {
        const run = await tx.scoreRun.create({ data: { trigger: options.trigger, asOf, status: 'running' } });
        for (let i = 0; i < rows.length; i += BATCH) {
          const batch = rows.slice(i, i + BATCH);
          await insertSnapshots(tx, run.id, asOf, batch, options.skipExisting === true);
        }
        const alerts = options.afterSnapshots ? await options.afterSnapshots(tx, { runId: run.id, asOf, trigger: options.trigger }) : { alertsOpened: 0 };
        await tx.scoreRun.update({
          where: { id: run.id },
          data: { status: 'completed', accountsScored: rows.length, alertsOpened: alerts.alertsOpened, finishedAt: new Date() },
        });
        return { runId: run.id, alertsOpened: alerts.alertsOpened };
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
    );
    const result = { ...outcome, asOf, accountsScored: rows.length, byBand, durationMs: Math.round(performance.now() - started) };
    deps.logger.info('recomputed scores', { trigger: options.trigger, runId: result.runId, accounts: rows.length, ms: result.durationMs });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await prisma.scoreRun
      .create({ data: { trigger: options.trigger, asOf, status: 'failed', error: message.slice(0, 2_000), finishedAt: new Date() } })
      .catch((recordError: unknown) => deps.logger.error('could not record the failed run', { error: recordError }));
    throw error;
  }
}

async function insertSnapshots(
  tx: Tx,
  runId: number,
  asOf: Date,
  batch: { accountId: number; versionId: number; result: ReturnType<typeof computeScore> }[],
  skipExisting: boolean,
): Promise<void> {
  const ids = batch.map((r) => r.accountId);
  const versions = batch.map((r) => r.versionId);
  const scores = batch.map((r) => r.result.score);
  const bands = batch.map((r) => r.result.band);
  const completeness = batch.map((r) => r.result.completeness);
  const components = batch.map((r) => JSON.stringify(r.result.components));
  if (skipExisting) {
    await tx.$executeRaw`
      INSERT INTO score_snapshots (run_id, account_id, model_version_id, as_of, score, band, completeness, components)
      SELECT ${runId}, t.a, t.v, ${asOf}, t.s, t.b, t.c, t.j::jsonb
      FROM unnest(${ids}::int[], ${versions}::int[], ${scores}::float8[], ${bands}::text[], ${completeness}::float8[], ${components}::text[]) AS t(a, v, s, b, c, j)
      ON CONFLICT (account_id, as_of) DO NOTHING`;
    return;
  }
  await tx.$executeRaw`
    INSERT INTO score_snapshots (run_id, account_id, model_version_id, as_of, score, band, completeness, components)
    SELECT ${runId}, t.a, t.v, ${asOf}, t.s, t.b, t.c, t.j::jsonb
    FROM unnest(${ids}::int[], ${versions}::int[], ${scores}::float8[], ${bands}::text[], ${completeness}::float8[], ${components}::text[]) AS t(a, v, s, b, c, j)
    ON CONFLICT (account_id, as_of) DO UPDATE SET run_id = EXCLUDED.run_id, model_version_id = EXCLUDED.model_version_id,
      score = EXCLUDED.score, band = EXCLUDED.band, completeness = EXCLUDED.completeness, components = EXCLUDED.components`;
}

/** Runs a recompute unless another process (or tick) is already running one. */
export async function recomputeWithLock(deps: RecomputeDeps, options: RecomputeOptions): Promise<{ ran: true; value: RecomputeResult } | { ran: false }> {
  return deps.db.tryWithLock('recompute', () => recomputeScores(deps, options));
}
