// A recomputation: every account in scope scored with its segment's model. The
// run row, the snapshots it writes and the alerts they cause are committed in
// ONE transaction — a failed run leaves nothing half-written behind. The
// transaction is open while the run scores, so the database stores one chunk
// while this process scores the next.
//
// A snapshot is written only for accounts whose result changed since their
// current one (account_scores.fingerprint): history stays real, and a
// 15-minute schedule over 100,000 accounts does not add 100,000 identical rows
// a tick. Scoring a past date (backfill, --as-of) always writes.
//
// A run over every account at or after the last complete run is incremental
// when it can be (incremental.ts): it scores only the accounts whose result can
// have changed since, and leaves exactly what a full run would.
import { createHash } from 'node:crypto';
import type { Clock } from '../app-deps.js';
import type { Database } from '../db/database.js';
import { eventLoopPacer } from '../event-loop.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { ensureCatalogueAndModels, loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { encodeComponents } from '../scoring/component-codec.js';
import { computeScore } from '../scoring/compute-score.js';
import type { Observation, ScoreResult } from '../scoring/types.js';
import { deriveBeforeScoring } from '../derived/derive-before-scoring.js';
import { loadCurrentScores, writeSnapshots, type SnapshotWrite } from './write-snapshots.js';
import { loadLatestObservations, loadScoringAccounts, withDerivedRenewal, type ScoringAccount } from './load-score-inputs.js';
import { accountsToRescore, consumeChanges, currentBands, inputsFingerprint, loadLastCompleteRun, readChanges, type ReadChanges } from './incremental.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type RunTrigger = 'schedule' | 'cli' | 'admin' | 'import' | 'demo' | 'backfill' | 'sentiment';

export interface RunInfo {
  runId: number;
  asOf: Date;
  trigger: RunTrigger;
  /**
   * Snapshots this run wrote, as scored: what the alert rules judge, without
   * reading them back. A large run stores them in batches while it scores, and
   * calls afterSnapshots once per batch (same transaction), or once with none;
   * each account is in exactly one batch.
   */
  written: readonly WrittenSnapshot[];
}

export interface WrittenSnapshot {
  id: bigint;
  accountId: number;
  modelVersionId: number;
  renewalDate: Date | null;
  result: ScoreResult;
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
  /** Only these accounts (e.g. the one a CSM just rated); default every account in scope. */
  accountIds?: readonly number[];
  /** Keep snapshots that already exist at this as-of (backfill) instead of replacing them. */
  skipExisting?: boolean;
  afterSnapshots?: AfterSnapshots;
  /** Score every account even where an incremental tick could score only what changed (`recompute --full`). */
  full?: boolean;
}

/** full / incremental: the run left every account current as of asOf; scoped: listed accounts, a backfill or a past date. */
export type RunMode = 'full' | 'incremental' | 'scoped';

export interface RecomputeResult {
  runId: number;
  asOf: Date;
  /** Accounts in scope, all current as of asOf after the run (scoped runs: the listed accounts in scope). */
  accountsScored: number;
  /** Accounts actually scored: all of them in a full run, those that can have changed in an incremental one. */
  accountsComputed: number;
  mode: RunMode;
  /** Accounts whose score, band or evidence changed, so a snapshot was written. */
  snapshotsWritten: number;
  byBand: Record<string, number>;
  alertsOpened: number;
  durationMs: number;
  /** Where the time went: milliseconds since the start at the end of each phase (inputs, scored, written, alerts). */
  phases: Record<string, number>;
}

/** Accounts scored per load: bounds memory, and the id range keeps each load an index range scan. */
const CHUNK = 10_000;
/** A full recompute of a large portfolio is one long transaction by design. */
const TRANSACTION_TIMEOUT_MS = 15 * 60_000;

export async function recomputeScores(deps: RecomputeDeps, options: RecomputeOptions): Promise<RecomputeResult> {
  const started = performance.now();
  const startedAt = new Date();
  const asOf = options.asOf ?? deps.clock();
  const prisma = deps.db.prisma;
  await ensureCatalogueAndModels(prisma);
  // Metrics derived from events become observations first (so the change log below sees them);
  // measures nobody feeds are left out of the weights.
  const inUse = await deriveBeforeScoring({ prisma, logger: deps.logger }, asOf);
  // The change log is read before any score input: whatever it notes is visible to the reads below.
  const everyAccount = options.accountIds === undefined && options.skipExisting !== true;
  const changes: ReadChanges | null = everyAccount ? await readChanges(prisma) : null;
  const [models, metrics, last] = await Promise.all([loadActiveModels(prisma).then(inUse), loadMetricDefinitions(prisma), everyAccount ? loadLastCompleteRun(prisma) : null]);
  const metricKeys = [...new Set([...models.byKey.values()].flatMap((m) => m.measures.map((x) => x.metricKey)))];
  const inputs = inputsFingerprint(models, metrics);
  // A past date never becomes the base of later ticks; different inputs rescore everyone.
  const mode: RunMode =
    !everyAccount || (last !== null && asOf.getTime() < last.asOf.getTime())
      ? 'scoped'
      : options.full !== true && last !== null && last.inputsFingerprint === inputs
        ? 'incremental'
        : 'full';
  const scopeIds =
    mode === 'incremental' && last && changes
      ? await accountsToRescore(prisma, {
          since: last.asOf,
          asOf,
          changedAccountIds: changes.accountIds,
          freshness: new Map(metricKeys.map((k) => [k, metrics.get(k)?.freshnessDays ?? 0])),
          renewalMeasured: metricKeys.includes('days_to_renewal'),
        })
      : options.accountIds;
  const [accounts, current] = await Promise.all([loadScoringAccounts(prisma, asOf, scopeIds), loadCurrentScores(prisma, scopeIds)]);
  /** Where the time went (milliseconds since start), for the log line. */
  const phases: Record<string, number> = { inputs: Math.round(performance.now() - started) };
  const mark = (phase: string) => {
    phases[phase] = Math.round(performance.now() - started);
  };

  const byBand: Record<string, number> = {};
  let snapshotsWritten = 0;
  const chunks: ScoringAccount[][] = [];
  for (let i = 0; i < accounts.length; i += CHUNK) chunks.push(accounts.slice(i, i + CHUNK));
  // Scoring is synchronous CPU (a second or more for 10,000 accounts): every 20 ms it gives the
  // event loop a turn, so the queries already issued (the next chunk's read, this run's writes)
  // progress and requests arriving meanwhile (Slack acknowledgements) are answered.
  const pace = eventLoopPacer();
  const scoreChunk = async (chunk: readonly ScoringAccount[], latest: Map<number, Map<string, Observation>> | null): Promise<SnapshotWrite[]> => {
    const writes: SnapshotWrite[] = [];
    for (const account of chunk) {
      await pace();
      const model = models.forSegment(account.segment);
      const result = computeScore(model, withDerivedRenewal(latest?.get(account.id), account, asOf), metrics, asOf);
      byBand[result.band] = (byBand[result.band] ?? 0) + 1;
      const componentsJson = JSON.stringify(encodeComponents(result.components));
      const fingerprint = fingerprintOf(model.versionId, result, componentsJson);
      const previous = current.get(account.id);
      // Same as-of or later and nothing changed: the current snapshot still says it all.
      if (previous && previous.asOf.getTime() <= asOf.getTime() && previous.fingerprint === fingerprint) continue;
      writes.push({ accountId: account.id, versionId: model.versionId, renewalDate: account.renewalDate, result, componentsJson, fingerprint });
    }
    return writes;
  };

  try {
    // The run's transaction is open while it scores: each chunk's changed snapshots
    // (and the alerts they cause) are written while the next chunk is scored, so the
    // database and this process work at the same time. Nothing is visible to others
    // until the commit, so a failed run still leaves the previous scores in place.
    const outcome = await prisma.$transaction(
      async (tx) => {
        const run = await tx.scoreRun.create({
          data: { trigger: options.trigger, asOf, status: 'running', mode: mode === 'scoped' ? null : mode, inputsFingerprint: mode === 'scoped' ? null : inputs },
        });
        if (mode !== 'scoped' && changes) await consumeChanges(tx, changes.ranges);
        // PGlite serves one transaction at a time: a read outside it would wait for the commit.
        const reader = deps.db.kind === 'pglite' ? tx : prisma;
        const load = (chunk: ScoringAccount[] | undefined) => {
          if (!chunk) return null;
          // A list of accounts (often sparse) is read by id; the whole portfolio by id range, an index range scan.
          const scope = scopeIds ? { kind: 'ids' as const, ids: chunk.map((a) => a.id) } : { kind: 'range' as const, from: chunk[0]?.id ?? 0, to: chunk.at(-1)?.id ?? 0 };
          const loading = loadLatestObservations(reader, asOf, metricKeys, scope);
          // Awaited on the next turn; if scoring this chunk throws first, its failure must not go unhandled.
          loading.catch(() => undefined);
          return loading;
        };
        let alertsOpened = 0;
        // Chunks are stored one after another on the transaction's connection, each after the one before.
        let stored: Promise<void> = Promise.resolve();
        let storeFailed = false;
        const store = async (writes: readonly SnapshotWrite[]) => {
          const ids = await writeSnapshots(tx, run.id, asOf, writes, options.skipExisting === true);
          snapshotsWritten += writes.length;
          if (!options.afterSnapshots) return;
          const written = writes.flatMap((w) => {
            const id = ids.get(w.accountId);
            return id === undefined ? [] : [{ id, accountId: w.accountId, modelVersionId: w.versionId, renewalDate: w.renewalDate, result: w.result }];
          });
          alertsOpened += (await options.afterSnapshots(tx, { runId: run.id, asOf, trigger: options.trigger, written })).alertsOpened;
        };
        try {
          // The database reads the next chunk while this process scores the current one.
          let next = load(chunks[0]);
          for (const [i, chunk] of chunks.entries()) {
            if (storeFailed) break;
            const latest = await next;
            next = load(chunks[i + 1]);
            const writes = await scoreChunk(chunk, latest);
            if (writes.length === 0) continue;
            stored = stored.then(() => store(writes));
            stored.catch(() => {
              storeFailed = true;
            });
          }
          mark('scored');
        } finally {
          // A failure while scoring must not roll back under a write still in flight.
          await stored.catch(() => undefined);
        }
        await stored;
        // A run that changed nothing still tells its hook so (the contract before batches).
        if (snapshotsWritten === 0 && options.afterSnapshots) await store([]);
        mark('stored');
        // An incremental tick scored a few accounts: the portfolio's bands are read from the current scores.
        const portfolio = mode === 'incremental' ? await currentBands(tx, asOf) : { inScope: accounts.length, byBand };
        await tx.scoreRun.update({
          where: { id: run.id },
          data: { status: 'completed', accountsScored: portfolio.inScope, accountsComputed: accounts.length, alertsOpened, finishedAt: new Date() },
        });
        return { runId: run.id, alertsOpened, accountsScored: portfolio.inScope, byBand: portfolio.byBand };
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
    );
    mark('committed');
    const result = { ...outcome, asOf, mode, accountsComputed: accounts.length, snapshotsWritten, durationMs: Math.round(performance.now() - started), phases };
    deps.logger.info('recomputed scores', { trigger: options.trigger, mode, runId: result.runId, accounts: result.accountsScored, computed: accounts.length, changed: snapshotsWritten, ms: result.durationMs, phases });
    return result;
  } catch (error) {
    await prisma.scoreRun
      .create({ data: { trigger: options.trigger, asOf, status: 'failed', error: failureReason(error), startedAt, finishedAt: new Date() } })
      .catch((recordError: unknown) => deps.logger.error('could not record the failed run', { error: recordError }));
    throw error;
  }
}

/**
 * What an operator reads in score_runs.error: the cause, without Prisma's
 * "Invalid `prisma.$executeRaw()` invocation:" preamble and call-site frame.
 */
function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Invalid `.*` invocation/.test(l) && !/^→?\s*\d+\s/.test(l));
  return (lines.join(' ') || message).slice(0, 2_000);
}

/** Everything a snapshot says, hashed: the model version, the score, the band and every component. */
function fingerprintOf(versionId: number, result: ScoreResult, componentsJson: string): string {
  return createHash('sha1').update(`${versionId}|${result.score}|${result.band}|${result.completeness}|${componentsJson}`).digest('base64url');
}

/** Runs a recompute unless another process (or tick) is already running one. */
export async function recomputeWithLock(deps: RecomputeDeps, options: RecomputeOptions): Promise<{ ran: true; value: RecomputeResult } | { ran: false }> {
  return deps.db.tryWithLock('recompute', () => recomputeScores(deps, options));
}
