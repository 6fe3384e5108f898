// One recomputation as the product runs it: under the cluster-wide lock, with
// alerts written in the snapshot transaction, then the deliverer woken up.
import type { AppDeps } from '../app-deps.js';
import { backfillScores } from '../scoring-run/backfill.js';
import { recomputeScores, type RecomputeResult, type RunTrigger } from '../scoring-run/recompute.js';
import { judgesThePresent } from './live-judgement.js';
import { recordRunAlerts } from './record-run-alerts.js';
import { scoreShadowModels } from '../shadow/score-shadows.js';

const DAY_MS = 86_400_000;
/** How much history the first run judges against when no scores exist yet. */
const FIRST_RUN_BACKFILL_WEEKS = 8;

export type RecomputeDepsWithAlerts = Pick<AppDeps, 'db' | 'clock' | 'logger' | 'config' | 'outbox'>;

export async function runRecomputeAndAlerts(
  deps: RecomputeDepsWithAlerts,
  options: { trigger: RunTrigger; asOf?: Date; accountIds?: readonly number[]; full?: boolean },
): Promise<{ ran: true; result: RecomputeResult; judgedAlerts: boolean } | { ran: false }> {
  const asOf = options.asOf ?? deps.clock();
  // A past date is history: its snapshots are written, but no alert is opened, changed or sent for it.
  const live = judgesThePresent(asOf, deps.clock());
  const outcome = await deps.db.tryWithLock('recompute', async () => {
    // A replica that wakes for a tick after another finished it must not run it again.
    if (options.trigger === 'schedule' && (await deps.db.prisma.scoreRun.count({ where: { trigger: 'schedule', asOf, status: 'completed' } })) > 0) return null;
    await backfillFirstRun(deps, asOf, options.accountIds);
    const result = await recomputeScores(deps, {
      trigger: options.trigger,
      asOf,
      ...(options.accountIds ? { accountIds: options.accountIds } : {}),
      ...(options.full ? { full: true } : {}),
      ...(live ? { afterSnapshots: recordRunAlerts({ fallbackChannelId: deps.config.ALERT_FALLBACK_CHANNEL_ID }) } : {}),
    });
    await scoreShadowModels(deps, asOf, options.accountIds);
    return result;
  });
  if (!outcome.ran || outcome.value === null) return { ran: false };
  if (live) deps.outbox.notify();
  return { ran: true, result: outcome.value, judgedAlerts: live };
}

/**
 * The first recomputation after an import judges accounts against the history
 * already in the data: accounts never scored but with observations older than
 * a week get the last weeks scored first, so a decline that is already there
 * raises its alert — whether the database is new or already holds other accounts.
 */
async function backfillFirstRun(deps: RecomputeDepsWithAlerts, asOf: Date, accountIds?: readonly number[]): Promise<void> {
  const weekAgo = new Date(asOf.getTime() - 7 * DAY_MS);
  const rows = await deps.db.prisma.$queryRaw<{ id: number }[]>`
    SELECT a.id FROM accounts a
    WHERE (a.churned_on IS NULL OR a.churned_on > ${asOf})
      AND (${accountIds === undefined} OR a.id = ANY(${accountIds ?? []}::int[]))
      AND NOT EXISTS (SELECT 1 FROM account_scores s WHERE s.account_id = a.id)
      AND EXISTS (SELECT 1 FROM metric_observations o WHERE o.account_id = a.id AND o.observed_at < ${weekAgo})`;
  if (rows.length === 0) return;
  const from = new Date(asOf.getTime() - FIRST_RUN_BACKFILL_WEEKS * 7 * DAY_MS);
  deps.logger.info('first scoring of accounts with history: backfilling to judge alerts against', { accounts: rows.length, weeks: FIRST_RUN_BACKFILL_WEEKS });
  await backfillScores(deps, { from, to: weekAgo, stepDays: 7, accountIds: rows.map((r) => r.id) });
}
