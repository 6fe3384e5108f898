// Models in the database: seeding, loading the active versions, saving a new
// version (validated, audited, in one transaction), history and restore.
import type { Prisma } from '../db/database.js';
import { BUILT_IN_METRICS } from '../scoring/catalogue.js';
import { DEFAULT_MODELS } from '../scoring/default-models.js';
import { alertRuleConfigSchema, validateModel, type ModelIssue } from '../scoring/model-schema.js';
import { DIRECTIONS, METRIC_CATEGORIES, type MetricDefinition, type ModelDefinition, type ModelVersion } from '../scoring/types.js';
import type { PrismaClient } from '../generated/prisma/client.js';

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

/** Idempotent: built-in metrics upserted; seeded models created only when absent (admins' edits are kept). */
export async function ensureCatalogueAndModels(prisma: Prisma): Promise<void> {
  const existing = await prisma.healthModel.count();
  const metricCount = await prisma.metricDefinition.count({ where: { builtIn: true } });
  if (existing >= DEFAULT_MODELS.length && metricCount >= BUILT_IN_METRICS.length) return;
  for (const metric of BUILT_IN_METRICS) {
    const { key, ...rest } = metric;
    await prisma.metricDefinition.upsert({ where: { key }, create: { ...metric, builtIn: true }, update: { ...rest, builtIn: true } });
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
  return new Map(
    rows.map((r) => [
      r.key,
      {
        key: r.key,
        label: r.label,
        unit: r.unit,
        direction: DIRECTIONS.find((d) => d === r.direction) ?? 'higher_is_better',
        category: METRIC_CATEGORIES.find((c) => c === r.category) ?? 'custom',
        freshnessDays: r.freshnessDays,
        description: r.description,
      },
    ]),
  );
}

const versionInclude = { measures: { orderBy: { id: 'asc' as const } }, model: true } as const;

type VersionRow = NonNullable<Awaited<ReturnType<Tx['healthModelVersion']['findFirst']>>> & {
  measures: { metricKey: string; weight: number; good: number; poor: number }[];
  model: { key: string; name: string; segment: string | null };
};

function toModelVersion(row: VersionRow): ModelVersion {
  return {
    versionId: row.id,
    version: row.version,
    key: row.model.key,
    name: row.model.name,
    segment: row.model.segment,
    cutoffs: { healthyMin: row.healthyMin, watchMin: row.watchMin, atRiskMin: row.atRiskMin },
    minCompleteness: row.minCompleteness,
    alertConfig: alertRuleConfigSchema.parse(row.alertConfig),
    measures: row.measures.map((m) => ({ metricKey: m.metricKey, weight: m.weight, good: m.good, poor: m.poor })),
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
      measures: { create: definition.measures.map((m) => ({ metricKey: m.metricKey, weight: m.weight, good: m.good, poor: m.poor })) },
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

/** Validates, creates version n+1, points the model at it and audits before → after, atomically. */
export async function saveModelVersion(prisma: Prisma, input: SaveModelInput): Promise<ModelVersion> {
  const known = new Set((await prisma.metricDefinition.findMany({ select: { key: true } })).map((m) => m.key));
  const validation = validateModel(input.definition, known);
  if (!validation.ok) throw new InvalidModelError(validation.issues);
  const definition = validation.model;
  return prisma.$transaction(async (tx) => {
    const before = await tx.healthModel.findUnique({ where: { key: definition.key }, include: { currentVersion: { include: versionInclude } } });
    const beforeVersion = before?.currentVersion ? toModelVersion(before.currentVersion) : null;
    if (input.expectedVersion !== undefined && beforeVersion && beforeVersion.version !== input.expectedVersion) {
      throw new InvalidModelError([{ path: 'version', message: `the model changed meanwhile (now version ${beforeVersion.version}); reopen it to edit the latest` }]);
    }
    if (before && before.segment !== definition.segment) {
      throw new InvalidModelError([{ path: 'segment', message: `model "${definition.key}" targets segment ${before.segment ?? '(default)'}; the segment cannot change` }]);
    }
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
    return saved;
  });
}

function stripIdentity(version: ModelVersion): ModelDefinition & { version: number } {
  const { versionId: _versionId, ...rest } = version;
  return rest;
}

export async function listModelVersions(prisma: Prisma, modelKey: string) {
  const model = await prisma.healthModel.findUnique({ where: { key: modelKey } });
  if (!model) throw new UnknownModelError(modelKey);
  const versions = await prisma.healthModelVersion.findMany({ where: { modelId: model.id }, orderBy: { version: 'desc' }, include: { measures: true } });
  return versions.map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: v.createdBy, note: v.note, current: v.id === model.currentVersionId, measures: v.measures.length }));
}

/** Restoring makes a NEW version equal to the old one, so history only grows. */
export async function restoreModelVersion(prisma: Prisma, input: { modelKey: string; version: number; actor: string }): Promise<ModelVersion> {
  const model = await prisma.healthModel.findUnique({ where: { key: input.modelKey } });
  if (!model) throw new UnknownModelError(input.modelKey);
  const row = await prisma.healthModelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: input.version } }, include: versionInclude });
  if (!row) throw new UnknownModelError(input.modelKey, ` has no version ${input.version}`);
  return saveModelVersion(prisma, { definition: stripVersion(toModelVersion(row)), actor: input.actor, note: `restored version ${input.version}` });
}

export function stripVersion(version: ModelVersion): ModelDefinition {
  const { versionId: _v, version: _n, ...definition } = version;
  return definition;
}
