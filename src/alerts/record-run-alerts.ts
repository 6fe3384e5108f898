// The recompute's afterSnapshots hook: judges every account scored in this run
// against its history and writes alert changes plus the Slack messages they
// need (the outbox) in the SAME transaction as the snapshots. Inputs are loaded
// with a handful of set-based queries, whatever the portfolio size.
import type { Tx, RunInfo } from '../scoring-run/recompute.js';
import { loadActiveModels } from '../models/model-store.js';
import { componentsSchema } from '../scoring/types.js';
import { toBand } from '../reports/build-health-report.js';
import { alertTriggersSchema } from './alert-types.js';
import { evaluateAlert, type SnapshotLike } from './evaluate-alert.js';
import { describeTriggers } from './describe-trigger.js';

const DAY_MS = 86_400_000;

interface SnapshotRow {
  id: bigint;
  account_id: number;
  as_of: Date;
  score: number | null;
  band: string;
  components: unknown;
}

export interface RecordAlertsOptions {
  /** Channel for accounts without one (ALERT_FALLBACK_CHANNEL_ID). */
  fallbackChannelId?: string | undefined;
}

function toSnapshot(row: SnapshotRow): SnapshotLike {
  return { asOf: row.as_of, score: row.score, band: toBand(row.band), components: componentsSchema.parse(row.components) };
}

export function recordRunAlerts(options: RecordAlertsOptions = {}) {
  return async (tx: Tx, run: RunInfo): Promise<{ alertsOpened: number }> => {
    const models = await loadActiveModels(tx);
    const configByVersion = new Map([...models.byKey.values()].map((m) => [m.versionId, m]));
    const dropDays = Math.max(...[...models.byKey.values()].map((m) => m.alertConfig.dropDays));
    const asOf = run.asOf;

    const current = await tx.$queryRaw<(SnapshotRow & { model_version_id: number; renewal_date: Date | null; slack_channel_id: string | null })[]>`
      SELECT s.id, s.account_id, s.as_of, s.score, s.band, s.components, s.model_version_id, a.renewal_date, a.slack_channel_id
      FROM score_snapshots s JOIN accounts a ON a.id = s.account_id WHERE s.run_id = ${run.runId}`;
    if (current.length === 0) return { alertsOpened: 0 };

    // An alert a person closed starts a new episode: history before it no longer counts.
    const closed = await tx.$queryRaw<{ account_id: number; closed_at: Date }[]>`
      SELECT account_id, max(coalesce(resolved_at, updated_at)) AS closed_at FROM alerts WHERE open_key IS NULL GROUP BY account_id`;
    const closedAt = new Map(closed.map((c) => [c.account_id, c.closed_at]));
    const sinceClosed = (accountId: number, at: Date) => { const c = closedAt.get(accountId); return c === undefined || at.getTime() > c.getTime(); };

    const good = await tx.$queryRaw<SnapshotRow[]>`
      SELECT DISTINCT ON (account_id) id, account_id, as_of, score, band, components FROM score_snapshots
      WHERE as_of < ${asOf} AND band IN ('healthy', 'watch') ORDER BY account_id, as_of DESC`;
    const earliest = await tx.$queryRaw<SnapshotRow[]>`
      SELECT DISTINCT ON (account_id) id, account_id, as_of, score, band, components FROM score_snapshots
      WHERE as_of < ${asOf} AND score IS NOT NULL ORDER BY account_id, as_of ASC`;
    const latestEarlier = await tx.$queryRaw<SnapshotRow[]>`
      SELECT DISTINCT ON (account_id) id, account_id, as_of, score, band, components FROM score_snapshots
      WHERE as_of < ${asOf} AND score IS NOT NULL ORDER BY account_id, as_of DESC`;
    const peaks = await tx.$queryRaw<{ account_id: number; as_of: Date; score: number }[]>`
      SELECT account_id, as_of, score FROM score_snapshots
      WHERE as_of < ${asOf} AND as_of >= ${new Date(asOf.getTime() - dropDays * DAY_MS)} AND score IS NOT NULL`;
    const open = await tx.alert.findMany({ where: { openKey: { not: null } }, select: { id: true, accountId: true, triggers: true, band: true, score: true, slackChannelId: true } });

    const goodBy = new Map(good.map((r) => [r.account_id, r]));
    const earliestBy = new Map(earliest.map((r) => [r.account_id, r]));
    const latestBy = new Map(latestEarlier.map((r) => [r.account_id, r]));
    const openBy = new Map(open.map((a) => [a.accountId, a]));
    const peaksBy = new Map<number, { as_of: Date; score: number }[]>();
    for (const p of peaks) {
      const list = peaksBy.get(p.account_id);
      if (list) list.push(p);
      else peaksBy.set(p.account_id, [p]);
    }

    let alertsOpened = 0;
    for (const row of current) {
      const model = configByVersion.get(row.model_version_id);
      if (!model) continue;
      const accountId = row.account_id;
      const goodRow = goodBy.get(accountId);
      const earliestRow = earliestBy.get(accountId);
      let baselineRow = goodRow && sinceClosed(accountId, goodRow.as_of) ? goodRow : earliestRow && sinceClosed(accountId, earliestRow.as_of) ? earliestRow : undefined;
      // Closed and not seen good since: judge against the state it was closed in.
      if (!baselineRow && closedAt.has(accountId)) baselineRow = latestBy.get(accountId);
      const windowStart = asOf.getTime() - model.alertConfig.dropDays * DAY_MS;
      const recent = (peaksBy.get(accountId) ?? []).filter((p) => p.as_of.getTime() >= windowStart && sinceClosed(accountId, p.as_of));
      const openAlert = openBy.get(accountId);
      const snapshot = toSnapshot(row);
      const decision = evaluateAlert({
        config: model.alertConfig,
        cutoffs: model.cutoffs,
        current: snapshot,
        baseline: baselineRow ? toSnapshot(baselineRow) : null,
        recentPeak: recent.length > 0 ? Math.max(...recent.map((p) => p.score)) : null,
        openAlert: openAlert ? { triggers: alertTriggersSchema.parse(openAlert.triggers), band: openAlert.band, score: openAlert.score } : null,
        renewalDate: row.renewal_date,
      });
      const channel = openAlert?.slackChannelId ?? row.slack_channel_id ?? options.fallbackChannelId ?? null;
      if (decision.kind === 'open') {
        const alert = await tx.alert.create({
          data: {
            accountId, openKey: accountId, state: 'open', triggers: decision.triggers, reason: decision.reason,
            band: snapshot.band, score: snapshot.score, baselineScore: decision.reason.baseline?.score ?? null,
            openedSnapshotId: row.id, lastSnapshotId: row.id, slackChannelId: channel, createdAt: asOf,
          },
        });
        alertsOpened += 1;
        if (channel) await tx.slackOutbox.create({ data: { alertId: alert.id, kind: 'post', channelId: channel, payload: {}, idempotencyKey: `alert:${alert.id}:post`, nextAttemptAt: asOf } });
      } else if (decision.kind === 'update' && openAlert) {
        await tx.alert.update({ where: { id: openAlert.id }, data: { triggers: decision.triggers, reason: decision.reason, band: snapshot.band, score: snapshot.score, lastSnapshotId: row.id } });
        await enqueueUpdate(tx, openAlert.id, channel, row.id, asOf, `Update: ${decision.changed}. ${describeTriggers(decision.triggers)}`);
      } else if (decision.kind === 'resolve' && openAlert) {
        await tx.alert.update({ where: { id: openAlert.id }, data: { state: 'auto_resolved', openKey: null, resolvedBy: 'system', resolvedAt: asOf, band: snapshot.band, score: snapshot.score, lastSnapshotId: row.id } });
        await enqueueUpdate(tx, openAlert.id, channel, row.id, asOf, `:white_check_mark: Resolved automatically: ${decision.why}.`);
      }
    }
    return { alertsOpened };
  };
}

async function enqueueUpdate(tx: Tx, alertId: number, channel: string | null, snapshotId: bigint, due: Date, replyText: string): Promise<void> {
  if (!channel) return;
  await tx.slackOutbox.createMany({
    data: [
      { alertId, kind: 'update', channelId: channel, payload: {}, idempotencyKey: `alert:${alertId}:update:${snapshotId}`, nextAttemptAt: due },
      { alertId, kind: 'thread_reply', channelId: channel, payload: { text: replyText }, idempotencyKey: `alert:${alertId}:reply:${snapshotId}`, nextAttemptAt: due },
    ],
    skipDuplicates: true,
  });
}
