// Models in the database: seeding, loading the active versions, saving a new
// version (validated, audited, in one transaction), history and restore.
import type { Prisma } from '../db/database.js';
import { BUILT_IN_METRICS } from '../scoring/catalogue.js';
import { DEFAULT_MODELS } from '../scoring/default-models.js';
import { sameModelDefinition } from '../scoring/compare-models.js';
import { alertRuleConfigSchema, validateModel, type ModelIssue } from '../scoring/model-schema.js';
import { DIRECTIONS, MEASURE_GROUPS, METRIC_CATEGORIES, type Measure, type MetricDefinition, type ModelDefinition, type ModelVersion } from '../scoring/types.js';
import { Prisma as PrismaNamespace, type PrismaClient } from '../generated/prisma/client.js';
import { ensureMetrics, METRIC_FIELDS, toCustomMetric } from './metric-store.js';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Db = Prisma | Tx;

export class InvalidModelError extends Error {
  constructor(readonly issues: ModelIssue[]) {
    super(`invalid model: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidModelError';
  }
}

export class UnknownModelError extends Error {
  constructor(readonly modelKey: string, detail = '') {
    super(`unknown model "${modelKey}"${detail}`);
    this.name = 'UnknownModelError';
  }
}

/** The model exists; the version asked for does not. */
export class UnknownModelVersionError extends UnknownModelError {
  constructor(modelKey: string, readonly version: number, latest: number) {
    super(modelKey);
    this.message = `model "${modelKey}" has no version ${version} (its versions are 1 to ${latest}; see \`account-health model history ${modelKey}\`)`;
    this.name = 'UnknownModelVersionError';
  }
}

/** Idempotent: built-in metrics kept as the catalogue says; seeded models created only when absent (admins' edits are kept). */
export async function ensureCatalogueAndModels(prisma: Prisma): Promise<void> {
  const existing = await prisma.healthModel.count();
  const stored = new Map((await prisma.metricDefinition.findMany({ where: { builtIn: true } })).map((m) => [m.key, m]));
  // A release may change a built-in metric (a range added, a label reworded): rewrite only those that differ.
  const outdated = BUILT_IN_METRICS.filter((metric) => {
    const row = stored.get(metric.key);
    const wanted = toCustomMetric(metric);
    return !row || METRIC_FIELDS.some((field) => row[field] !== wanted[field]);
  });
  if (existing >= DEFAULT_MODELS.length && outdated.length === 0) return;
  for (const metric of outdated) {
    const { key, ...rest } = toCustomMetric(metric);
    await prisma.metricDefinition.upsert({ where: { key }, create: { key, ...rest, builtIn: true }, update: { ...rest, builtIn: true } });
  }
  for (const model of DEFAULT_MODELS) {
    if (await prisma.healthModel.findUnique({ where: { key: model.key } })) continue;
    await prisma.$transaction(async (tx) => {
      await createVersion(tx, model, 'system', 'seeded model');
    });
  }
}

export async function loadMetricDefinitions(db: Db): Promise<Map<string, MetricDefinition>> {
  const rows = await db.metricDefinition.findMany();
  return new Map(rows.map((r) => [r.key, toMetricDefinition(r)]));
}

type MetricRow = Awaited<ReturnType<Db['metricDefinition']['findMany']>>[number];

function toMetricDefinition(r: MetricRow): MetricDefinition {
  return {
    key: r.key,
    label: r.label,
    unit: r.unit,
    direction: DIRECTIONS.find((d) => d === r.direction) ?? 'higher_is_better',
    category: METRIC_CATEGORIES.find((c) => c === r.category) ?? 'custom',
    freshnessDays: r.freshnessDays,
    description: r.description,
    minValue: r.minValue,
    maxValue: r.maxValue,
  };
}

const versionInclude = { measures: { orderBy: { id: 'asc' as const }, include: { metric: true } }, model: true } as const;

type VersionRow = PrismaNamespace.HealthModelVersionGetPayload<{ include: typeof versionInclude }>;

function toModelVersion(row: VersionRow): ModelVersion {
  const custom = row.measures.filter((m) => !m.metric.builtIn).map((m) => toCustomMetric(toMetricDefinition(m.metric)));
  return {
    versionId: row.id,
    version: row.version,
    key: row.model.key,
    name: row.model.name,
    segment: row.model.segment,
    cutoffs: { healthyMin: row.healthyMin, watchMin: row.watchMin, atRiskMin: row.atRiskMin },
    minCompleteness: row.minCompleteness,
    alertConfig: alertRuleConfigSchema.parse(row.alertConfig),
    measures: row.measures.map((m) => ({ metricKey: m.metricKey, weight: m.weight, good: m.good, poor: m.poor, group: MEASURE_GROUPS.find((g) => g === m.group) ?? null })),
    ...(custom.length > 0 ? { customMetrics: custom } : {}),
  };
}

export interface ActiveModels {
  byKey: Map<string, ModelVersion>;
  forSegment(segment: string | null): ModelVersion;
}

export async function loadActiveModels(db: Db): Promise<ActiveModels> {
  const models = await db.healthModel.findMany({ include: { currentVersion: { include: versionInclude } } });
  const byKey = new Map<string, ModelVersion>();
  const bySegment = new Map<string, ModelVersion>();
  let fallback: ModelVersion | undefined;
  for (const model of models) {
    if (!model.currentVersion) continue;
    const version = toModelVersion(model.currentVersion);
    byKey.set(model.key, version);
    if (model.segment) bySegment.set(model.segment, version);
    if (model.isDefault) fallback = version;
  }
  const defaultModel = fallback;
  if (!defaultModel) throw new UnknownModelError('default', ': the database has no default model (run account-health migrate / demo, or import one)');
  return { byKey, forSegment: (segment) => (segment ? bySegment.get(segment) : undefined) ?? defaultModel };
}

async function createVersion(tx: Tx, definition: ModelDefinition, actor: string, note: string): Promise<ModelVersion> {
  const model =
    (await tx.healthModel.findUnique({ where: { key: definition.key } })) ??
    (await tx.healthModel.create({
      data: { key: definition.key, name: definition.name, segment: definition.segment, isDefault: definition.segment === null && definition.key === 'default' },
    }));
  const last = await tx.healthModelVersion.findFirst({ where: { modelId: model.id }, orderBy: { version: 'desc' } });
  const created = await tx.healthModelVersion.create({
    data: {
      modelId: model.id,
      version: (last?.version ?? 0) + 1,
      healthyMin: definition.cutoffs.healthyMin,
      watchMin: definition.cutoffs.watchMin,
      atRiskMin: definition.cutoffs.atRiskMin,
      minCompleteness: definition.minCompleteness,
      alertConfig: definition.alertConfig as unknown as object,
      note,
      createdBy: actor,
      measures: { create: definition.measures.map((m) => ({ metricKey: m.metricKey, weight: m.weight, good: m.good, poor: m.poor, group: m.group ?? null })) },
    },
    include: versionInclude,
  });
  await tx.healthModel.update({ where: { id: model.id }, data: { currentVersionId: created.id, name: definition.name } });
  return toModelVersion(created);
}

export interface SaveModelInput {
  definition: unknown;
  actor: string;
  note: string;
  /** Refuse when the current version is no longer this one (someone saved meanwhile). */
  expectedVersion?: number;
}

/** The version now current; `unchanged` when the definition equalled it and no version was made. */
export type SavedModel = ModelVersion & { unchanged: boolean };

/**
 * Validates, creates version n+1, points the model at it and audits before →
 * after, atomically. A definition equal to the current version saves nothing.
 * Custom metrics the definition brings are added to the catalogue with it.
 */
export async function saveModelVersion(prisma: Prisma, input: SaveModelInput): Promise<SavedModel> {
  const known = new Set((await prisma.metricDefinition.findMany({ select: { key: true } })).map((m) => m.key));
  const validation = validateModel(input.definition, known);
  if (!validation.ok) throw new InvalidModelError(validation.issues);
  const parsed = validation.model;
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.healthModel.findUnique({ where: { key: parsed.key }, include: { currentVersion: { include: versionInclude } } });
      const beforeVersion = before?.currentVersion ? toModelVersion(before.currentVersion) : null;
      if (input.expectedVersion !== undefined && beforeVersion && beforeVersion.version !== input.expectedVersion) {
        throw new InvalidModelError([{ path: 'version', message: `the model changed meanwhile (now version ${beforeVersion.version}); reopen it to edit the latest` }]);
      }
      if (before && before.segment !== parsed.segment) {
        throw new InvalidModelError([{ path: 'segment', message: `model "${parsed.key}" targets segment ${before.segment ?? '(none: it is the default)'}; the segment cannot change (got ${parsed.segment ?? 'null'})` }]);
      }
      if (!before && parsed.segment !== null) await refuseTakenSegment(tx, parsed.key, parsed.segment);
      const metricIssues = await ensureMetrics(tx, (parsed.customMetrics ?? []).map(toCustomMetric));
      if (metricIssues.length > 0) throw new InvalidModelError(metricIssues);
      const definition = keepStoredGroups(parsed, beforeVersion);
      if (beforeVersion && sameModelDefinition(beforeVersion, definition)) return { ...beforeVersion, unchanged: true };
      const saved = await createVersion(tx, definition, input.actor, input.note);
      await tx.auditEntry.create({
        data: {
          actor: input.actor,
          action: 'model.save',
          entityType: 'health_model',
          entityId: definition.key,
          before: beforeVersion ? (stripIdentity(beforeVersion) as object) : undefined,
          after: stripIdentity(saved) as object,
        },
      });
      return { ...saved, unchanged: false };
    });
  } catch (error) {
    // Two saves of new models for one segment at once: the loser hits the unique index.
    if (error instanceof PrismaNamespace.PrismaClientKnownRequestError && error.code === 'P2002' && parsed.segment !== null) {
      throw new InvalidModelError([{ path: 'segment', message: `segment "${parsed.segment}" already has a model; import into that model's key to change it` }]);
    }
    throw error;
  }
}

async function refuseTakenSegment(tx: Tx, key: string, segment: string): Promise<void> {
  const owner = await tx.healthModel.findUnique({ where: { segment }, select: { key: true } });
  if (owner) {
    throw new InvalidModelError([{ path: 'segment', message: `segment "${segment}" already has a model ("${owner.key}"); set "key": "${owner.key}" to change that model, or pick another segment for "${key}"` }]);
  }
}

/** A measure whose group was left out keeps the group stored for its metric (Slack's form does not edit groups). */
function keepStoredGroups(definition: ModelDefinition, before: ModelVersion | null): ModelDefinition {
  const stored = new Map((before?.measures ?? []).map((m) => [m.metricKey, m.group ?? null]));
  const measures: Measure[] = definition.measures.map((m) => ({ ...m, group: m.group === undefined ? (stored.get(m.metricKey) ?? null) : m.group }));
  return { ...definition, measures };
}

function stripIdentity(version: ModelVersion): ModelDefinition & { version: number } {
  return { ...stripVersion(version), version: version.version };
}

export async function listModelVersions(prisma: Prisma, modelKey: string) {
  const model = await prisma.healthModel.findUnique({ where: { key: modelKey } });
  if (!model) throw new UnknownModelError(modelKey);
  const versions = await prisma.healthModelVersion.findMany({ where: { modelId: model.id }, orderBy: { version: 'desc' }, include: { measures: true } });
  return versions.map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: v.createdBy, note: v.note, current: v.id === model.currentVersionId, measures: v.measures.length }));
}

/** Restoring makes a NEW version equal to the old one, so history only grows. */
export async function restoreModelVersion(prisma: Prisma, input: { modelKey: string; version: number; actor: string }): Promise<SavedModel> {
  const model = await prisma.healthModel.findUnique({ where: { key: input.modelKey } });
  if (!model) throw new UnknownModelError(input.modelKey);
  const row = await prisma.healthModelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: input.version } }, include: versionInclude });
  if (!row) {
    const latest = await prisma.healthModelVersion.aggregate({ where: { modelId: model.id }, _max: { version: true } });
    throw new UnknownModelVersionError(input.modelKey, input.version, latest._max.version ?? 0);
  }
  return saveModelVersion(prisma, { definition: stripVersion(toModelVersion(row)), actor: input.actor, note: `restored version ${input.version}` });
}

/** The definition alone (what a model file holds), without version identity or save outcome. */
export function stripVersion(version: ModelVersion): ModelDefinition {
  const { key, name, segment, cutoffs, minCompleteness, alertConfig, measures, customMetrics } = version;
  return { key, name, segment, cutoffs, minCompleteness, alertConfig, measures, ...(customMetrics ? { customMetrics } : {}) };
}
