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
