// Loads what the alert message shows, at delivery time, so every post or
// update reflects the alert's latest state (claims, resolution, score).
import type { Prisma } from '../db/database.js';
import { loadMetricDefinitions } from '../models/model-store.js';
import { toBand } from '../reports/build-health-report.js';
import { daysToRenewal } from '../scoring/renewal.js';
import { suggestActions } from '../scoring/suggest-actions.js';
import { decodeComponents } from '../scoring/component-codec.js';
import { alertMessage } from '../slack/views/alert-message.js';
import type { SlackMessage } from '../slack/views/health-views.js';
import { alertReasonSchema, alertTriggersSchema } from './alert-types.js';
import { judgedDayIfNotToday } from './live-judgement.js';
import { findGroupFall } from './group-fall.js';

export async function renderAlert(prisma: Prisma, alertId: number, now: Date): Promise<SlackMessage> {
  const alert = await prisma.alert.findUniqueOrThrow({ where: { id: alertId }, include: { account: true } });
  const metrics = await loadMetricDefinitions(prisma);
  const snapshot = alert.lastSnapshotId ? await prisma.scoreSnapshot.findUnique({ where: { id: alert.lastSnapshotId } }) : null;
  const band = toBand(alert.band);
  const renewalIn = alert.account.renewalDate ? daysToRenewal(alert.account.renewalDate, now) : null;
  const actions = snapshot
    ? suggestActions({ result: { score: snapshot.score, band, completeness: snapshot.completeness, components: decodeComponents(snapshot.components) }, trend: null, daysToRenewal: renewalIn, metrics })
    : [];
  const reason = alertReasonSchema.parse(alert.reason);
  const groupFall = await findGroupFall(prisma, { accountId: alert.accountId, baselineAsOf: reason.baseline?.asOf ?? null, current: snapshot }, metrics);
  return alertMessage({
    alertId: alert.id,
    accountName: alert.account.name,
    externalId: alert.account.externalId,
    ownerSlackUserId: alert.account.ownerSlackUserId,
    state: alert.state,
    band,
    score: alert.score,
    triggers: alertTriggersSchema.parse(alert.triggers),
    reason,
    groupFall,
    actions,
    metricLabel: (key) => ({ label: metrics.get(key)?.label ?? key, unit: metrics.get(key)?.unit ?? '' }),
    claimedBy: alert.claimedBy,
    claimedAt: alert.claimedAt,
    resolvedBy: alert.resolvedBy,
    resolvedAt: alert.resolvedAt,
    judgedOn: judgedDayIfNotToday(snapshot?.asOf ?? alert.createdAt, now),
  });
}
