// The fair dataset: for every outcome, churned and renewed alike, the model's
// inputs as they were stored `leadDays` before it, re-scored with the model
// under test — never today's values. days_to_renewal is what it was at that
// moment (lead days before the outcome), not what the account says today.
// Outcomes without enough fresh inputs at the anchor are left out and counted.
import type { CalibrationMeasure, CalibrationRow } from '../calibration/types.js';
import type { Prisma } from '../db/database.js';
import { computeScore } from '../scoring/compute-score.js';
import { daysToRenewal, startOfUtcDay } from '../scoring/renewal.js';
import type { MetricDefinition, ModelDefinition } from '../scoring/types.js';
import { loadObservationsPerRequest } from '../scoring-run/load-score-inputs.js';
import type { Outcome, OutcomeAccount } from './load-outcomes.js';

const DAY_MS = 86_400_000;

export interface Dataset {
  measures: CalibrationMeasure[];
  rows: CalibrationRow[];
  /** Outcomes left out for lack of fresh inputs at the anchor, by class. */
  excluded: { churned: number; renewed: number };
  /** Outcomes whose anchor is still in the future (nothing to judge yet). */
  notYetDue: number;
}

export async function buildDataset(
  db: Pick<Prisma, '$queryRaw'>,
  model: Pick<ModelDefinition, 'key' | 'measures' | 'cutoffs' | 'minCompleteness'>,
  metrics: ReadonlyMap<string, MetricDefinition>,
  outcomes: readonly Outcome[],
  accounts: ReadonlyMap<number, OutcomeAccount>,
  leadDays: number,
  now: Date,
): Promise<Dataset> {
  const due = outcomes.map((o) => ({ outcome: o, anchor: new Date(o.date.getTime() - leadDays * DAY_MS) })).filter((d) => d.anchor.getTime() <= now.getTime());
  const keys = model.measures.map((m) => m.metricKey);
  const inputs = await loadObservationsPerRequest(db, due.map((d) => ({ accountId: d.outcome.accountId, asOf: d.anchor })), keys);
  const measures: CalibrationMeasure[] = model.measures.map((m) => ({ metricKey: m.metricKey, category: metrics.get(m.metricKey)?.category ?? null, currentWeight: m.weight }));
  const rows: CalibrationRow[] = [];
  const excluded = { churned: 0, renewed: 0 };
  due.forEach(({ outcome, anchor }, i) => {
    const latest = new Map(inputs.get(i));
    // Days to renewal as it read at the anchor: the outcome's own date, lead days away.
    latest.set('days_to_renewal', { metricKey: 'days_to_renewal', value: daysToRenewal(outcome.date, anchor), observedAt: new Date(startOfUtcDay(anchor)) });
    const result = computeScore(model, latest, metrics, anchor);
    if (result.score === null) {
      if (outcome.churned) excluded.churned += 1;
      else excluded.renewed += 1;
      return;
    }
    const byKey = new Map(result.components.map((c) => [c.metricKey, c]));
    const account = accounts.get(outcome.accountId);
    rows.push({
      accountId: outcome.accountId,
      churned: outcome.churned,
      points: keys.map((k) => byKey.get(k)?.points ?? null),
      values: keys.map((k) => {
        const c = byKey.get(k);
        return c && c.points !== null ? c.value : null;
      }),
      calendar: {
        daysToRecordedRenewal: account?.renewalDate ? daysToRenewal(account.renewalDate, anchor) : null,
        tenureDays: account?.customerSince ? Math.round((anchor.getTime() - account.customerSince.getTime()) / DAY_MS) : null,
        anchorDay: Math.floor(anchor.getTime() / DAY_MS),
      },
      currentScore: result.score,
    });
  });
  return { measures, rows, excluded, notYetDue: outcomes.length - due.length };
}
