// After a model is saved, restored or imported, scores are recomputed with it
// at once — from Slack and from the command line alike — through the same
// entry the scheduler uses (under the cluster-wide lock, alerts included).
import { runRecomputeAndAlerts, type RecomputeDepsWithAlerts } from '../alerts/recompute-and-alert.js';

export type RecomputeAfterChange =
  | { kind: 'recomputed'; accountsScored: number; alertsOpened: number }
  /** Another recomputation holds the lock; it or the next scheduled run uses the new version. */
  | { kind: 'busy' }
  | { kind: 'failed'; error: unknown };

export async function recomputeAfterModelChange(deps: RecomputeDepsWithAlerts, trigger: 'admin' | 'cli'): Promise<RecomputeAfterChange> {
  try {
    const outcome = await runRecomputeAndAlerts(deps, { trigger });
    if (!outcome.ran) return { kind: 'busy' };
    return { kind: 'recomputed', accountsScored: outcome.result.accountsScored, alertsOpened: outcome.result.alertsOpened };
  } catch (error) {
    deps.logger.error('recompute after a model change failed', { error });
    return { kind: 'failed', error };
  }
}

export function describeRecomputeAfterChange(outcome: RecomputeAfterChange): string {
  if (outcome.kind === 'recomputed') return `Scores recomputed for ${outcome.accountsScored} accounts.`;
  if (outcome.kind === 'busy') return 'Another recomputation is running; the next one uses this version.';
  return 'Recomputing failed (see the logs); scores will be recomputed on the next scheduled run.';
}
