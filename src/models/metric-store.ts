// The metric catalogue in the database: the built-in metrics plus those users
// add (`account-health metric add`, or a model file that brings its own).
import type { Prisma } from '../db/database.js';
import { customMetricSchema, type CustomMetric } from '../scoring/catalogue.js';
import { METRIC_CATEGORIES, type MetricDefinition } from '../scoring/types.js';
import type { PrismaClient } from '../generated/prisma/client.js';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Db = Prisma | Tx;

export interface MetricIssue {
  path: string;
  message: string;
}

export class InvalidMetricError extends Error {
  constructor(readonly issues: MetricIssue[]) {
    super(`invalid metric: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'InvalidMetricError';
  }
}

export interface MetricRange {
  key: string;
  minValue: number | null;
  maxValue: number | null;
}

/** Every metric key with its plausible range, for ingestion. */
export async function loadMetricRanges(db: Db): Promise<Map<string, MetricRange>> {
  const rows = await db.metricDefinition.findMany({ select: { key: true, minValue: true, maxValue: true } });
  return new Map(rows.map((r) => [r.key, r]));
}

/** Why `value` cannot be a real observation of the metric, or null when it can. */
export function describeRangeProblem(range: MetricRange, value: number): string | null {
  const { minValue: min, maxValue: max } = range;
  if ((min === null || value >= min) && (max === null || value <= max)) return null;
  const expected = min !== null && max !== null ? `${min} to ${max}` : min !== null ? `${min} or more` : `${max} or less`;
  return `value ${value} is out of range for ${range.key} (expected ${expected})`;
}

/** Validates a user-defined metric; issues name the field (key, label, direction, …). */
export function parseCustomMetric(input: unknown): CustomMetric {
  const parsed = customMetricSchema.safeParse(input);
  if (!parsed.success) throw new InvalidMetricError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}

/** Adds a metric to the catalogue; refuses a key that exists (built-in or not). */
export async function addMetric(db: Db, input: unknown): Promise<CustomMetric> {
  const metric = parseCustomMetric(input);
  const existing = await db.metricDefinition.findUnique({ where: { key: metric.key } });
  if (existing) {
    const what = existing.builtIn ? 'a built-in metric' : 'already in the catalogue';
    throw new InvalidMetricError([{ path: 'key', message: `"${metric.key}" is ${what} (see \`account-health metric list\`)` }]);
  }
  await db.metricDefinition.create({ data: { ...metric, builtIn: false } });
  return metric;
}

export interface CatalogueEntry extends MetricDefinition {
  builtIn: boolean;
}

export async function listMetrics(db: Db): Promise<CatalogueEntry[]> {
  const rows = await db.metricDefinition.findMany({ orderBy: [{ builtIn: 'desc' }, { category: 'asc' }, { key: 'asc' }] });
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    unit: r.unit,
    direction: r.direction === 'lower_is_better' ? 'lower_is_better' : 'higher_is_better',
    category: METRIC_CATEGORIES.find((c) => c === r.category) ?? 'custom',
    freshnessDays: r.freshnessDays,
    description: r.description,
    minValue: r.minValue,
    maxValue: r.maxValue,
    builtIn: r.builtIn,
  }));
}

/** A custom metric as a model file carries it. */
export function toCustomMetric(m: MetricDefinition): CustomMetric {
  return {
    key: m.key,
    label: m.label,
    unit: m.unit,
    direction: m.direction,
    category: m.category,
    freshnessDays: m.freshnessDays,
    description: m.description,
    minValue: m.minValue ?? null,
    maxValue: m.maxValue ?? null,
  };
}

/** Every field of a metric definition but its key. */
export const METRIC_FIELDS = ['label', 'unit', 'direction', 'category', 'freshnessDays', 'description', 'minValue', 'maxValue'] as const;

/**
 * Makes sure each metric a model file brings exists as described: creates the
 * missing ones; one that exists must match (a file cannot redefine a metric
 * other models and stored data already use).
 */
export async function ensureMetrics(db: Db, metrics: readonly CustomMetric[]): Promise<MetricIssue[]> {
  const issues: MetricIssue[] = [];
  for (const [i, metric] of metrics.entries()) {
    const existing = await db.metricDefinition.findUnique({ where: { key: metric.key } });
    if (!existing) {
      await db.metricDefinition.create({ data: { ...metric, builtIn: false } });
      continue;
    }
    const differing = METRIC_FIELDS.filter((field) => existing[field] !== metric[field]);
    if (differing.length > 0) {
      issues.push({ path: `metrics.${i}`, message: `metric "${metric.key}" already exists with a different ${differing.join(', ')}${existing.builtIn ? ' (it is built in)' : ''}; leave it out of the file or make it match` });
    }
  }
  return issues;
}

/** A change the catalogue refuses because of what depends on the metric (models, stored data). */
export class MetricInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricInUseError';
  }
}

/** Names of the models whose versions measure `key`: current ones, and earlier ones a restore would need. */
async function modelsUsing(db: Db, key: string): Promise<{ current: string[]; earlier: string[] }> {
  const measures = await db.modelMeasure.findMany({
    where: { metricKey: key },
    select: { version: { select: { id: true, model: { select: { key: true, currentVersionId: true } } } } },
  });
  const current = new Set<string>();
  const earlier = new Set<string>();
  for (const { version } of measures) (version.model.currentVersionId === version.id ? current : earlier).add(version.model.key);
  return { current: [...current].sort(), earlier: [...earlier].filter((k) => !current.has(k)).sort() };
}

async function findCustomMetric(db: Db, key: string, verb: string) {
  const existing = await db.metricDefinition.findUnique({ where: { key } });
  if (!existing) throw new InvalidMetricError([{ path: 'key', message: `there is no metric "${key}" (see \`account-health metric list\`)` }]);
  if (existing.builtIn) throw new InvalidMetricError([{ path: 'key', message: `"${key}" is a built-in metric and cannot be ${verb}; add your own with \`metric add\`` }]);
  return existing;
}

/**
 * Changes the given fields of a custom metric. Flipping its direction while a
 * model measures it is refused: that model's good/poor thresholds were set for
 * the old direction and would silently score the opposite way.
 */
export async function updateMetric(db: Db, key: string, patch: Record<string, unknown>): Promise<CustomMetric> {
  const existing = await findCustomMetric(db, key, 'changed');
  const metric = parseCustomMetric({ ...toCustomMetric({ ...existing, direction: existing.direction === 'lower_is_better' ? 'lower_is_better' : 'higher_is_better', category: METRIC_CATEGORIES.find((c) => c === existing.category) ?? 'custom' }), ...patch, key });
  if (metric.direction !== existing.direction) {
    const used = await modelsUsing(db, key);
    const all = [...used.current, ...used.earlier];
    if (all.length > 0) throw new MetricInUseError(`${key} is measured by model(s) ${all.join(', ')}, whose thresholds assume ${existing.direction.replace(/_/g, ' ')}; its direction cannot change while a model uses it`);
  }
  await db.metricDefinition.update({ where: { key }, data: metric });
  return metric;
}

/**
 * Removes a custom metric. Refused while any model (or an earlier version a
 * restore would bring back) measures it, and while observations of it are
 * stored unless the caller asks to delete them too.
 */
export async function removeMetric(db: Prisma, key: string, options: { withObservations: boolean }): Promise<{ observationsDeleted: number }> {
  return db.$transaction(async (tx) => {
    await findCustomMetric(tx, key, 'removed');
    const used = await modelsUsing(tx, key);
    if (used.current.length > 0) throw new MetricInUseError(`${key} is measured by model(s) ${used.current.join(', ')}; take it out of the model first (\`model export\` / \`model import\`, or /health admin)`);
    if (used.earlier.length > 0) throw new MetricInUseError(`earlier versions of model(s) ${used.earlier.join(', ')} measure ${key} and \`model restore\` needs it; it cannot be removed`);
    const observations = await tx.metricObservation.count({ where: { metricKey: key } });
    if (observations > 0 && !options.withObservations) {
      throw new MetricInUseError(`${observations} observation(s) of ${key} are stored; add --with-observations to delete them with the metric`);
    }
    const deleted = await tx.metricObservation.deleteMany({ where: { metricKey: key } });
    await tx.metricDefinition.delete({ where: { key } });
    return { observationsDeleted: deleted.count };
  });
}
