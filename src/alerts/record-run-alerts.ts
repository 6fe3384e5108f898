// The recompute's afterSnapshots hook: judges every account whose snapshot
// changed in this run and writes the alert changes plus the Slack messages they
// need (the outbox) in the SAME transaction as the snapshots. Reads and writes
// are set-based, whatever the number of accounts that changed. A large run calls
// it once per stored batch: every account is judged on its own history, so
// batches need nothing from each other.
import { eventLoopPacer } from '../event-loop.js';
import type { Tx, RunInfo } from '../scoring-run/recompute.js';
import { loadActiveModels } from '../models/model-store.js';
import type { AlertTrigger, AlertReason } from './alert-types.js';
import { evaluateAlert } from './evaluate-alert.js';
import { describeTriggers } from './describe-trigger.js';
import { loadAccountHistory, runSnapshotsOf, type RunSnapshot } from './load-alert-history.js';

export interface RecordAlertsOptions {
  /** Channel for accounts without one (ALERT_FALLBACK_CHANNEL_ID). */
  fallbackChannelId?: string | undefined;
}

interface Opened {
  account_id: number;
  triggers: AlertTrigger[];
  reason: AlertReason;
  band: string;
  score: number | null;
  baseline_score: number | null;
  baseline_id: number | null;
  snapshot_id: number;
  channel: string | null;
}

interface Changed {
  id: number;
  triggers?: AlertTrigger[];
  reason?: AlertReason;
  band: string;
  score: number | null;
  snapshot_id: number;
  channel: string | null;
  reply: string;
}

export function recordRunAlerts(options: RecordAlertsOptions = {}) {
  return async (tx: Tx, run: RunInfo): Promise<{ alertsOpened: number }> => {
    const current = await runSnapshotsOf(tx, run);
    if (current.length === 0) return { alertsOpened: 0 };
    const models = await loadActiveModels(tx);
    const byVersion = new Map([...models.byKey.values()].map((m) => [m.versionId, m]));
    // Snapshots scored by a version that is no longer current are judged by their own model's settings when known.
    const modelOf = (s: RunSnapshot) => byVersion.get(s.modelVersionId);
    const history = await loadAccountHistory(tx, current, (s) => modelOf(s)?.alertConfig.dropDays ?? 14);

    const opened: Opened[] = [];
    const updated: Changed[] = [];
    const resolved: Changed[] = [];
    const pace = eventLoopPacer();
    for (const snapshot of current) {
      await pace();
      const model = modelOf(snapshot);
      const past = history.get(snapshot.accountId);
      if (!model || !past) continue;
      const decision = evaluateAlert({
        config: model.alertConfig,
        cutoffs: model.cutoffs,
        current: snapshot,
        baseline: past.baseline,
        previous: past.previous,
        peak: past.peak,
        openAlert: past.openAlert,
        renewalDate: snapshot.renewalDate,
      });
      const channel = past.openAlert?.slackChannelId ?? snapshot.slackChannelId ?? options.fallbackChannelId ?? null;
      const common = { band: snapshot.band, score: snapshot.score, snapshot_id: Number(snapshot.id), channel };
      if (decision.kind === 'open') {
        opened.push({
          ...common, account_id: snapshot.accountId, triggers: decision.triggers, reason: decision.reason,
          baseline_score: decision.against?.score ?? null, baseline_id: decision.against?.id === undefined ? null : Number(decision.against.id),
        });
      } else if (decision.kind === 'update' && past.openAlert) {
        updated.push({ ...common, id: past.openAlert.id, triggers: decision.triggers, reason: decision.reason, reply: `Update: ${decision.changed}. ${describeTriggers(decision.triggers)}` });
      } else if (decision.kind === 'resolve' && past.openAlert) {
        resolved.push({ ...common, id: past.openAlert.id, reply: `:white_check_mark: Resolved automatically: ${decision.why}.` });
      }
    }
    await insertOpened(tx, opened, run.asOf);
    await applyChanges(tx, updated, resolved, run.asOf);
    return { alertsOpened: opened.length };
  };
}

/** Alerts per statement: one JSON document of a few MB, parsed quickly on both engines. */
const BATCH = 5_000;

function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH));
  return out;
}

async function insertOpened(tx: Tx, all: readonly Opened[], asOf: Date): Promise<void> {
  for (const rows of batches(all)) await insertOpenedBatch(tx, rows, asOf);
}

async function insertOpenedBatch(tx: Tx, rows: readonly Opened[], asOf: Date): Promise<void> {
  await tx.$executeRaw`
    WITH input AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(account_id int, triggers jsonb, reason jsonb, band text, score float8,
        baseline_score float8, baseline_id bigint, snapshot_id bigint, channel text)
    ),
    created AS (
      INSERT INTO alerts (account_id, open_key, state, triggers, reason, band, score, baseline_score, baseline_snapshot_id,
                          opened_snapshot_id, last_snapshot_id, slack_channel_id, created_at, updated_at)
      SELECT account_id, account_id, 'open', triggers, reason, band, score, baseline_score, baseline_id, snapshot_id, snapshot_id, channel, ${asOf}, now()
      FROM input
      RETURNING id, slack_channel_id
    )
    INSERT INTO slack_outbox (alert_id, kind, channel_id, payload, idempotency_key, next_attempt_at)
    SELECT id, 'post', slack_channel_id, '{}'::jsonb, 'alert:' || id || ':post', ${asOf} FROM created WHERE slack_channel_id IS NOT NULL`;
}

/** Updates and auto-resolutions: the alert row, then its message refreshed in place plus a thread reply saying what changed. */
async function applyChanges(tx: Tx, allUpdated: readonly Changed[], allResolved: readonly Changed[], asOf: Date): Promise<void> {
  for (const updated of batches(allUpdated)) await applyUpdates(tx, updated);
  for (const resolved of batches(allResolved)) await applyResolutions(tx, resolved, asOf);
  for (const messages of batches([...allUpdated, ...allResolved].filter((c) => c.channel !== null))) await queueRefreshes(tx, messages, asOf);
}

async function applyUpdates(tx: Tx, updated: readonly Changed[]): Promise<void> {
  await tx.$executeRaw`
    UPDATE alerts a SET triggers = i.triggers, reason = i.reason, band = i.band, score = i.score, last_snapshot_id = i.snapshot_id, updated_at = now()
    FROM json_to_recordset(${JSON.stringify(updated)}::json) AS i(id int, triggers jsonb, reason jsonb, band text, score float8, snapshot_id bigint)
    WHERE a.id = i.id`;
}

async function applyResolutions(tx: Tx, resolved: readonly Changed[], asOf: Date): Promise<void> {
  await tx.$executeRaw`
    UPDATE alerts a SET state = 'auto_resolved', open_key = NULL, resolved_by = 'system', resolved_at = ${asOf},
      band = i.band, score = i.score, last_snapshot_id = i.snapshot_id, updated_at = now()
    FROM json_to_recordset(${JSON.stringify(resolved)}::json) AS i(id int, band text, score float8, snapshot_id bigint)
    WHERE a.id = i.id`;
}

async function queueRefreshes(tx: Tx, messages: readonly Changed[], asOf: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO slack_outbox (alert_id, kind, channel_id, payload, idempotency_key, next_attempt_at)
    SELECT i.id, k.kind, i.channel, CASE WHEN k.kind = 'thread_reply' THEN jsonb_build_object('text', i.reply) ELSE '{}'::jsonb END,
           'alert:' || i.id || ':' || k.key || ':' || i.snapshot_id, ${asOf}
    FROM json_to_recordset(${JSON.stringify(messages)}::json) AS i(id int, channel text, reply text, snapshot_id bigint)
    CROSS JOIN (VALUES (1, 'update', 'update'), (2, 'thread_reply', 'reply')) AS k(ord, kind, key)
    ORDER BY i.id, k.ord
    ON CONFLICT (idempotency_key) DO NOTHING`;
}
