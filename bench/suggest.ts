// suggest: `model suggest` on a portfolio of 10,000 accounts with two years of
// monthly history and 3,000 renewal outcomes. Reports the time
// to build the fair dataset (database) and to fit and bootstrap (CPU), with
// the cross-validation and bootstrap settings used. Target: under 10 s.
import { suggestWeights } from '../src/calibration/suggest-weights.js';
import { DEFAULT_SETTINGS } from '../src/calibration/types.js';
import { seededRandom } from '../src/demo/seeded-random.js';
import { upsertOutcomes } from '../src/ingest/ingest-outcomes.js';
import { upsertObservations } from '../src/ingest/write-observations.js';
import { loadActiveModels, loadMetricDefinitions } from '../src/models/model-store.js';
import { buildDataset } from '../src/outcomes/build-dataset.js';
import { loadOutcomes } from '../src/outcomes/load-outcomes.js';
import { DEFAULT_LEAD_DAYS, suggestForModel } from '../src/outcomes/suggest-model.js';
import { generatePortfolio, intArg, openPostgresBench, recordResult, resultLine } from './support.js';

const asOf = new Date('2026-11-22T00:00:00Z');
const DAY = 86_400_000;
/** [poor, good] of the default model's stored metrics, to turn a health into values. */
const LEVELS: [string, number, number][] = [
  ['orders_30d', 4, 20], ['order_value_trend_90d', -20, 10], ['late_payments_90d', 4, 0], ['logins_30d', 30, 200],
  ['feature_adoption_pct', 20, 70], ['open_support_tickets', 10, 1], ['nps', -20, 50], ['csat', 60, 90],
  ['complaints_90d', 5, 0], ['days_since_last_contact', 60, 14], ['csm_sentiment', 1, 5],
];
/** Which measures carry the account's health (the rest are noise): what the fit should find. */
const SIGNAL = new Set(['logins_30d', 'feature_adoption_pct', 'nps', 'orders_30d']);

export async function benchSuggest(): Promise<string[]> {
  const accounts = intArg('accounts', 10_000);
  const outcomeCount = Math.min(intArg('outcomes', 3_000), accounts);
  const bench = await openPostgresBench();
  try {
    const prisma = bench.db.prisma;
    const setupStarted = performance.now();
    const observations = await generatePortfolio(bench.db, accounts, 730, 30, asOf);
    // One model for everyone, so all outcomes judge the same model.
    await prisma.$executeRaw`UPDATE accounts SET segment = NULL WHERE external_id LIKE 'B-%'`;
    const ids = (await prisma.account.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: outcomeCount })).map((a) => a.id);
    const random = seededRandom(14);
    const inputs: { accountId: number; metricKey: string; value: number; observedAt: Date }[] = [];
    const outcomes: { accountId: number; renewalDate: Date; outcome: 'renewed' | 'churned'; arr: number | null }[] = [];
    for (const accountId of ids) {
      const health = random();
      const renewal = new Date(Math.floor((asOf.getTime() - (5 + Math.floor(random() * 720)) * DAY) / DAY) * DAY);
      const judged = renewal.getTime() - DEFAULT_LEAD_DAYS * DAY;
      for (const [metricKey, poor, good] of LEVELS) {
        const h = SIGNAL.has(metricKey) ? Math.min(1, Math.max(0, health + (random() - 0.5) * 0.5)) : random();
        const value = poor + (good - poor) * h;
        inputs.push({ accountId, metricKey, value: metricKey === 'csm_sentiment' ? Math.round(value) : Math.round(value * 10) / 10, observedAt: new Date(judged - 3 * DAY) });
      }
      outcomes.push({ accountId, renewalDate: renewal, outcome: random() < 1 / (1 + Math.exp(-(1.5 - 5 * health))) ? 'churned' : 'renewed', arr: null });
    }
    for (let i = 0; i < inputs.length; i += 10_000) await upsertObservations(prisma, inputs.slice(i, i + 10_000), 'bench');
    await upsertOutcomes(prisma, outcomes, 'bench');
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    // The whole of `model suggest` as the CLI and Slack run it.
    const started = performance.now();
    const s = await suggestForModel(prisma, 'default', { now: asOf });
    const totalSeconds = (performance.now() - started) / 1000;
    // Its two halves, timed apart: the dataset (database) and the maths (CPU).
    const datasetStarted = performance.now();
    const models = await loadActiveModels(prisma);
    const model = models.byKey.get('default');
    if (!model) throw new Error('no default model');
    const known = await loadOutcomes(prisma, models, 'default');
    const dataset = await buildDataset(prisma, model, await loadMetricDefinitions(prisma), known.outcomes, known.accounts, DEFAULT_LEAD_DAYS, asOf);
    const datasetSeconds = (performance.now() - datasetStarted) / 1000;
    const fitStarted = performance.now();
    suggestWeights({ measures: dataset.measures, rows: dataset.rows, cutoffs: model.cutoffs, minCompleteness: model.minCompleteness });
    const fitSeconds = (performance.now() - fitStarted) / 1000;

    const e = s.suggestion;
    const weights = [...(e.weights ?? [])].filter(([, w]) => w > 0).map(([k, w]) => `${k}:${w}`).join(',');
    const line = resultLine(`suggest[${bench.label}]`, {
      accounts,
      observations: observations + inputs.length,
      outcomes: e.churned + e.renewed,
      churned: e.churned,
      seconds: totalSeconds,
      dataset_seconds: datasetSeconds,
      fit_seconds: fitSeconds,
      folds: DEFAULT_SETTINGS.folds,
      repeats: DEFAULT_SETTINGS.repeats,
      penalties: DEFAULT_SETTINGS.lambdas.length,
      bootstrap: DEFAULT_SETTINGS.bootstrapReplicates,
      auc_current: e.current.auc ?? Number.NaN,
      auc_suggested: e.suggested?.auc ?? Number.NaN,
      verdict: e.verdict ?? 'none',
      weights: weights || 'none',
      setup_seconds: setupSeconds,
    });
    await recordResult(`suggest[${bench.label}]`, line);
    return [line];
  } finally {
    await bench.drop();
  }
}
