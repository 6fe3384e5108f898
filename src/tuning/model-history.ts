// A model's versions for the history view, or null when the model is gone.
import type { Prisma } from '../db/database.js';
import { listModelVersions } from '../models/model-store.js';

export interface ModelHistory {
  key: string;
  name: string;
  versions: Awaited<ReturnType<typeof listModelVersions>>;
}

export async function loadModelHistory(prisma: Prisma, modelKey: string): Promise<ModelHistory | null> {
  const model = await prisma.healthModel.findUnique({ where: { key: modelKey }, select: { name: true } });
  if (!model) return null;
  return { key: modelKey, name: model.name, versions: await listModelVersions(prisma, modelKey) };
}
