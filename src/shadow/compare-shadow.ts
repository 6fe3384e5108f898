// `model evaluate` with a shadow: the live model and each shadow judged on the
// outcomes that arrived since the shadow started, each re-scored from the
// inputs stored lead days before the outcome (the same fair dataset as
// `model suggest`), so the comparison is on renewals neither was fitted to.
import { aucOf } from '../calibration/weighted-auc.js';
import type { Prisma } from '../db/database.js';
import { loadActiveModels, loadMetricDefinitions } from '../models/model-store.js';
import { buildDataset } from '../outcomes/build-dataset.js';
import { loadOutcomes } from '../outcomes/load-outcomes.js';
import { DEFAULT_LEAD_DAYS } from '../outcomes/suggest-model.js';
import { shadowsOf } from './shadow-store.js';

const SHOWN = 3;

export interface ShadowComparison {
  shadowId: number;
  startedAt: Date;
  endsAt: Date;
  stoppedAt: Date | null;
  churned: number;
  renewed: number;
  liveAuc: number | null;
  shadowAuc: number | null;
}

export async function compareShadows(prisma: Prisma, modelKey: string, now: Date, leadDays = DEFAULT_LEAD_DAYS): Promise<ShadowComparison[]> {
  const shadows = (await shadowsOf(prisma, modelKey)).slice(0, SHOWN);
  if (shadows.length === 0) return [];
  const models = await loadActiveModels(prisma);
  const live = models.byKey.get(modelKey);
  if (!live) return [];
  const [metrics, known] = await Promise.all([loadMetricDefinitions(prisma), loadOutcomes(prisma, models, modelKey)]);
  const out: ShadowComparison[] = [];
  for (const shadow of shadows) {
    const since = known.outcomes.filter((o) => o.date.getTime() >= shadow.startedAt.getTime() && o.date.getTime() <= now.getTime());
    const [a, b] = await Promise.all([
      buildDataset(prisma, live, metrics, since, known.accounts, leadDays, now),
      buildDataset(prisma, shadow.definition, metrics, since, known.accounts, leadDays, now),
    ]);
    const auc = (rows: typeof a.rows) => aucOf(rows.map((r) => r.currentScore), rows.map((r) => r.churned));
    const churned = since.filter((o) => o.churned).length;
    out.push({ shadowId: shadow.id, startedAt: shadow.startedAt, endsAt: shadow.endsAt, stoppedAt: shadow.stoppedAt, churned, renewed: since.length - churned, liveAuc: auc(a.rows), shadowAuc: auc(b.rows) });
  }
  return out;
}

export function describeShadowComparison(c: ShadowComparison, now: Date): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const state = c.stoppedAt ? `stopped ${day(c.stoppedAt)}` : c.endsAt.getTime() > now.getTime() ? `running until ${day(c.endsAt)}` : `ended ${day(c.endsAt)}`;
  const head = `  shadow #${c.shadowId} (started ${day(c.startedAt)}, ${state}): `;
  if (c.churned + c.renewed === 0) return `${head}no outcomes since it started yet`;
  const two = (n: number | null) => (n === null ? 'n/a (needs churned and renewed outcomes)' : n.toFixed(2));
  return `${head}${c.churned} churned and ${c.renewed} renewed since: ROC AUC live ${two(c.liveAuc)}, shadow ${two(c.shadowAuc)}`;
}
