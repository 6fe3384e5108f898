// Which definition each metric derives from: the built-ins, replaced or
// extended by definitions stored with `account-health metric define`.
import { createHash } from 'node:crypto';
import type { Prisma } from '../db/database.js';
import { BUILT_IN_DEFINITIONS } from './built-in-definitions.js';
import { derivedMetricSchema, InvalidDefinitionError, parseDerivedMetric, type DerivedMetric } from './definition-schema.js';

type Db = Pick<Prisma, 'derivedMetric' | 'metricDefinition'>;

export interface EffectiveDefinition {
  definition: DerivedMetric;
  /** "built-in", or "defined" when stored with `metric define`. */
  origin: 'built-in' | 'defined';
}

export async function loadDefinitions(db: Db): Promise<Map<string, EffectiveDefinition>> {
  const out = new Map<string, EffectiveDefinition>(BUILT_IN_DEFINITIONS.map((d) => [d.metric, { definition: d, origin: 'built-in' }]));
  for (const row of await db.derivedMetric.findMany({ orderBy: { metricKey: 'asc' } })) {
    // Stored definitions were validated when saved; one that no longer parses is a bug to see, not to skip.
    const parsed = derivedMetricSchema.safeParse(row.definition);
    if (!parsed.success) throw new Error(`stored definition of ${row.metricKey} is no longer valid: ${parsed.error.issues[0]?.message ?? 'unknown reason'}`);
    out.set(row.metricKey, { definition: parsed.data, origin: 'defined' });
  }
  return out;
}

/** A fingerprint of every definition: when it changes, the next pass derives every account again. */
export function definitionsHash(definitions: ReadonlyMap<string, EffectiveDefinition>): string {
  const text = JSON.stringify([...definitions.keys()].sort().map((k) => definitions.get(k)?.definition));
  return createHash('sha1').update(text).digest('base64url');
}

/**
 * Validates and stores a definition (replacing the built-in or an earlier
 * one). The metric must be in the catalogue first (`metric add`), so it has a
 * label, direction and freshness window.
 */
export async function defineDerivedMetric(db: Db, input: unknown): Promise<{ definition: DerivedMetric; replaced: 'built-in' | 'defined' | null }> {
  const definition = parseDerivedMetric(input);
  const metric = await db.metricDefinition.findUnique({ where: { key: definition.metric }, select: { key: true } });
  if (!metric) throw new InvalidDefinitionError([{ path: 'metric', message: `unknown metric "${definition.metric}": add it to the catalogue first with \`account-health metric add\`` }]);
  const existing = await db.derivedMetric.findUnique({ where: { metricKey: definition.metric }, select: { metricKey: true } });
  const builtIn = BUILT_IN_DEFINITIONS.some((d) => d.metric === definition.metric);
  const json = JSON.parse(JSON.stringify(definition)) as object;
  await db.derivedMetric.upsert({ where: { metricKey: definition.metric }, create: { metricKey: definition.metric, definition: json }, update: { definition: json, updatedAt: new Date() } });
  return { definition, replaced: existing ? 'defined' : builtIn ? 'built-in' : null };
}
