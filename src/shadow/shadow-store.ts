// Shadow models: a suggested weighting scored beside the live model for 30
// days. Starting one for a model stops the one it replaces; applying or
// dismissing a suggestion leaves running shadows alone (they end on their own).
import type { Prisma } from '../db/database.js';
import { modelDefinitionSchema } from '../scoring/model-schema.js';
import type { ModelDefinition } from '../scoring/types.js';

export const SHADOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ShadowModel {
  id: number;
  modelKey: string;
  definition: ModelDefinition;
  note: string;
  createdBy: string;
  startedAt: Date;
  endsAt: Date;
  stoppedAt: Date | null;
}

type Row = { id: number; modelKey: string; definition: unknown; note: string; createdBy: string; startedAt: Date; endsAt: Date; stoppedAt: Date | null };

function toShadow(row: Row): ShadowModel {
  return { ...row, definition: modelDefinitionSchema.parse(row.definition) };
}

export async function startShadow(prisma: Prisma, input: { definition: ModelDefinition; actor: string; note: string; now: Date }): Promise<ShadowModel> {
  const definition = modelDefinitionSchema.parse(input.definition);
  return prisma.$transaction(async (tx) => {
    const replaced = await tx.shadowModel.updateMany({ where: { modelKey: definition.key, stoppedAt: null, endsAt: { gt: input.now } }, data: { stoppedAt: input.now } });
    const row = await tx.shadowModel.create({
      data: { modelKey: definition.key, definition: definition as unknown as object, note: input.note, createdBy: input.actor, startedAt: input.now, endsAt: new Date(input.now.getTime() + SHADOW_DAYS * DAY_MS) },
    });
    await tx.auditEntry.create({
      data: { actor: input.actor, action: 'model.shadow.start', entityType: 'health_model', entityId: definition.key, after: { shadowId: row.id, endsAt: row.endsAt.toISOString(), replaced: replaced.count, measures: definition.measures.map((m) => [m.metricKey, m.weight]) } },
    });
    return toShadow(row);
  });
}

/** Shadows scoring at `at`: started, not stopped, not yet ended. */
export async function runningShadows(prisma: Prisma, at: Date): Promise<ShadowModel[]> {
  const rows = await prisma.shadowModel.findMany({ where: { stoppedAt: null, startedAt: { lte: at }, endsAt: { gt: at } }, orderBy: { id: 'asc' } });
  return rows.map(toShadow);
}

/** Every shadow a model has had, newest first (for `model evaluate`). */
export async function shadowsOf(prisma: Prisma, modelKey: string): Promise<ShadowModel[]> {
  const rows = await prisma.shadowModel.findMany({ where: { modelKey }, orderBy: { id: 'desc' } });
  return rows.map(toShadow);
}

export interface ShadowScoreView {
  score: number | null;
  band: string;
  asOf: Date;
  endsAt: Date;
  modelKey: string;
}

/** The account's score under the running shadow of its model, if there is one. */
export async function loadShadowScore(prisma: Prisma, accountId: number, at: Date): Promise<ShadowScoreView | null> {
  const row = await prisma.shadowScore.findFirst({
    where: { accountId, shadow: { stoppedAt: null, endsAt: { gt: at } } },
    orderBy: { shadowId: 'desc' },
    include: { shadow: { select: { endsAt: true, modelKey: true } } },
  });
  return row ? { score: row.score, band: row.band, asOf: row.asOf, endsAt: row.shadow.endsAt, modelKey: row.shadow.modelKey } : null;
}
