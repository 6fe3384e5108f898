// What the alert rules need to know about each account a run re-scored, in a
// few set-based queries over the (account_id, as_of) index: its open alert,
// the state it is judged against, the state just before, and its recent peak.
// Only accounts whose snapshot changed in this run are loaded, so a quiet
// 15-minute tick reads next to nothing.
import { num, numOrNull, parseJsonRows, str } from '../db/json-rows.js';
import { decodeComponents } from '../scoring/component-codec.js';
import { toBand } from '../reports/build-health-report.js';
import type { RunInfo, Tx } from '../scoring-run/recompute.js';
import { alertTriggersSchema, type AlertTrigger } from './alert-types.js';
import { bandRank, isBand, type SnapshotLike } from './evaluate-alert.js';

const DAY_MS = 86_400_000;

export interface RunSnapshot extends SnapshotLike {
  id: bigint;
  accountId: number;
  modelVersionId: number;
  renewalDate: Date | null;
  slackChannelId: string | null;
}

export interface OpenAlertRow {
  id: number;
  triggers: AlertTrigger[];
  band: string;
  score: number | null;
  slackChannelId: string | null;
}

export interface AccountHistory {
  openAlert: OpenAlertRow | null;
  baseline: SnapshotLike | null;
  previous: SnapshotLike | null;
  peak: SnapshotLike | null;
}

/**
 * The snapshots this run wrote, as it scored them, with each account's Slack
 * channel: one small query, instead of reading 100,000 snapshots back.
 */
export async function runSnapshotsOf(tx: Tx, run: RunInfo): Promise<RunSnapshot[]> {
  if (run.written.length === 0) return [];
  const [row] = await tx.$queryRaw<{ rows: string }[]>`
    SELECT coalesce(json_agg(json_build_array(id, slack_channel_id)), '[]')::text AS rows
    FROM accounts WHERE id = ANY(${run.written.map((w) => w.accountId)}::int[]) AND slack_channel_id IS NOT NULL`;
  const channels = new Map(parseJsonRows(row?.rows).map((t) => [num(t[0]), str(t[1])]));
  return run.written.map((w) => ({
    id: w.id,
    accountId: w.accountId,
    modelVersionId: w.modelVersionId,
    asOf: run.asOf,
    score: w.result.score,
    band: w.result.band,
    components: w.result.components,
    renewalDate: w.renewalDate,
    slackChannelId: channels.get(w.accountId) ?? null,
  }));
}

/**
 * Per account: the open alert (its baseline fixed at opening), or else the
 * latest state in a better band since the last closed episode — counting the
 * state that was in force when it closed; the snapshot before this one; and
 * the best score within the drop window (counting the one in force when the
 * window opened, since snapshots are written only on change).
 */
export async function loadAccountHistory(tx: Tx, current: readonly RunSnapshot[], dropDaysFor: (s: RunSnapshot) => number): Promise<Map<number, AccountHistory>> {
  if (current.length === 0) return new Map();
  const asOf = current[0]?.asOf ?? new Date();
  const accountIds = current.map((c) => c.accountId);
  const windowStarts = current.map((c) => new Date(c.asOf.getTime() - dropDaysFor(c) * DAY_MS));
  const ranks = current.map((c) => (isBand(c.band) ? bandRank(c.band) : 99));

  // One array parameter, not an IN list: a model change can re-score 100,000
  // accounts, past the 32,767 bind parameters a statement may carry.
  const open = (
    await tx.$queryRaw<{ id: number; account_id: number; triggers: unknown; band: string; score: number | null; slack_channel_id: string | null; baseline_snapshot_id: bigint | null }[]>`
      SELECT id, account_id, triggers, band, score, slack_channel_id, baseline_snapshot_id FROM alerts
      WHERE open_key = ANY(${accountIds}::int[])`
  ).map((a) => ({ id: a.id, accountId: a.account_id, triggers: a.triggers, band: a.band, score: a.score, slackChannelId: a.slack_channel_id, baselineSnapshotId: a.baseline_snapshot_id }));
  const openBy = new Map(open.map((a) => [a.accountId, a]));
  const openBaselines = current.map((c) => openBy.get(c.accountId)?.baselineSnapshotId?.toString() ?? null);
  const hasOpen = current.map((c) => openBy.has(c.accountId));

  const picks = await tx.$queryRaw<{ account_id: number; baseline_id: bigint | null; previous_id: bigint | null; peak_id: bigint | null }[]>`
    WITH c AS (
      SELECT * FROM unnest(${accountIds}::int[], ${windowStarts}::timestamptz[], ${ranks}::int[], ${hasOpen}::boolean[], ${openBaselines}::bigint[])
        AS c(account_id, window_start, rank, has_open, open_baseline)
    ),
    -- Grouped once, not probed per account: a large run stores its alerts batch by batch, and a probe per
    -- account planned on a fresh database's statistics (alerts "empty") scanned every alert the run had
    -- already written, 10,000 times a batch.
    closed AS (
      SELECT a.account_id, max(coalesce(a.resolved_at, a.updated_at)) AS closed_at FROM alerts a
      WHERE a.account_id = ANY(${accountIds}::int[]) AND a.open_key IS NULL GROUP BY a.account_id
    ),
    k AS (
      SELECT c.*, coalesce(
        (SELECT max(s.as_of) FROM score_snapshots s WHERE s.account_id = c.account_id AND s.as_of <= cl.closed_at),
        cl.closed_at, '-infinity'::timestamptz) AS episode_from
      FROM c LEFT JOIN closed cl ON cl.account_id = c.account_id
    )
    SELECT k.account_id,
      CASE WHEN k.has_open THEN k.open_baseline ELSE (
        SELECT s.id FROM score_snapshots s
        WHERE s.account_id = k.account_id AND s.as_of < ${asOf} AND s.as_of >= k.episode_from
          AND (CASE s.band WHEN 'healthy' THEN 0 WHEN 'watch' THEN 1 WHEN 'at_risk' THEN 2 WHEN 'critical' THEN 3 ELSE 99 END) < k.rank
        ORDER BY s.as_of DESC LIMIT 1) END AS baseline_id,
      (SELECT s.id FROM score_snapshots s WHERE s.account_id = k.account_id AND s.as_of < ${asOf} ORDER BY s.as_of DESC LIMIT 1) AS previous_id,
      (SELECT s.id FROM score_snapshots s
       WHERE s.account_id = k.account_id AND s.as_of < ${asOf} AND s.score IS NOT NULL
         AND s.as_of >= greatest(k.episode_from, coalesce(
           (SELECT max(w.as_of) FROM score_snapshots w WHERE w.account_id = k.account_id AND w.as_of <= k.window_start), k.window_start))
       ORDER BY s.score DESC, s.as_of DESC LIMIT 1) AS peak_id
    FROM k
    -- Baseline, previous and peak all come from earlier snapshots: an account without one (every account
    -- in a first run) needs none of the probes above.
    WHERE EXISTS (SELECT 1 FROM score_snapshots e WHERE e.account_id = k.account_id AND e.as_of < ${asOf})`;

  // Without an earlier snapshot there is no previous state nor peak, and a baseline only as an open alert's.
  const picked = new Map(picks.map((p) => [p.account_id, p]));
  const rows = accountIds.map(
    (id) => picked.get(id) ?? { account_id: id, baseline_id: openBy.get(id)?.baselineSnapshotId ?? null, previous_id: null, peak_id: null },
  );
  const ids = [...new Set(rows.flatMap((p) => [p.baseline_id, p.previous_id, p.peak_id]).filter((id): id is bigint => id !== null).map(String))];
  const snapshots = await loadSnapshotsById(tx, ids);
  const byId = (id: bigint | null) => (id === null ? null : (snapshots.get(id.toString()) ?? null));

  const out = new Map<number, AccountHistory>();
  for (const p of rows) {
    const alert = openBy.get(p.account_id);
    out.set(p.account_id, {
      openAlert: alert
        ? { id: alert.id, triggers: alertTriggersSchema.parse(alert.triggers), band: alert.band, score: alert.score, slackChannelId: alert.slackChannelId }
        : null,
      baseline: byId(p.baseline_id),
      previous: byId(p.previous_id),
      peak: byId(p.peak_id),
    });
  }
  return out;
}

/**
 * Ids per query: parsing one document of 20,000 snapshots with their
 * components held the event loop for a second; slices of this size parse in
 * tens of milliseconds, and requests get a turn between them.
 */
const SNAPSHOTS_PER_QUERY = 2_000;

async function loadSnapshotsById(tx: Tx, ids: readonly string[]): Promise<Map<string, SnapshotLike>> {
  const out = new Map<string, SnapshotLike>();
  for (let i = 0; i < ids.length; i += SNAPSHOTS_PER_QUERY) {
    const [row] = await tx.$queryRaw<{ rows: string }[]>`
      SELECT coalesce(json_agg(json_build_array(id::text, floor(extract(epoch FROM as_of) * 1000), score, band, components)), '[]')::text AS rows
      FROM score_snapshots WHERE id = ANY(${ids.slice(i, i + SNAPSHOTS_PER_QUERY)}::bigint[])`;
    for (const t of parseJsonRows(row?.rows)) {
      out.set(str(t[0]), { id: BigInt(str(t[0])), asOf: new Date(num(t[1])), score: numOrNull(t[2]), band: toBand(str(t[3])), components: decodeComponents(t[4]) });
    }
  }
  return out;
}
