// Models and the metric catalogue in the database, on both engines: measure
// groups survive export → import, an identical import saves nothing, segment
// mistakes are refused with a sentence (not a Prisma error), custom metrics
// travel with a model file, and built-in metrics carry plausible ranges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { addMetric, InvalidMetricError, listMetrics } from '../../../src/models/metric-store.js';
import { ensureCatalogueAndModels, InvalidModelError, listModelVersions, loadActiveModels, restoreModelVersion, saveModelVersion, stripVersion, UnknownModelError } from '../../../src/models/model-store.js';
import { MODEL_EXPORT_FORMAT, modelExportSchema } from '../../../src/scoring/model-schema.js';
import type { ModelDefinition } from '../../../src/scoring/types.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const actor = 'cli:test';

describe.each(DATABASE_KINDS)('model store (%s)', (kind) => {
  let db: Database;
  let enterprise: ModelDefinition;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
    const current = (await loadActiveModels(db.prisma)).byKey.get('enterprise');
    if (!current) throw new Error('enterprise model missing');
    enterprise = stripVersion(current);
  });
  afterAll(async () => {
    await db.close();
  });

  /** What `model export` writes and `model import` reads back. */
  const exportImport = async (key: string) => {
    const model = (await loadActiveModels(db.prisma)).byKey.get(key);
    if (!model) throw new Error(`no model ${key}`);
    const file = JSON.parse(JSON.stringify({ format: MODEL_EXPORT_FORMAT, model: stripVersion(model) }));
    const parsed = modelExportSchema.parse(file);
    return saveModelVersion(db.prisma, { definition: parsed.model, actor, note: 'imported' });
  };
  const versions = async (key: string) => (await listModelVersions(db.prisma, key)).length;

  it('keeps measure groups through save, export and import; an identical import saves no version', async () => {
    const grouped = { ...enterprise, measures: enterprise.measures.map((m, i) => ({ ...m, group: i < 3 ? 'transactional' : i < 6 ? 'engagement' : null })) };
    const saved = await saveModelVersion(db.prisma, { definition: grouped, actor, note: 'groups' });
    expect(saved.unchanged).toBe(false);
    const loaded = (await loadActiveModels(db.prisma)).byKey.get('enterprise');
    expect(loaded?.measures.map((m) => m.group)).toEqual(grouped.measures.map((m) => m.group));
    const count = await versions('enterprise');
    const again = await exportImport('enterprise');
    expect(again).toMatchObject({ unchanged: true, version: saved.version });
    expect(await versions('enterprise')).toBe(count);
  });

  it('keeps stored groups when a save leaves them out (the Slack form), and clears one set to null', async () => {
    const withoutGroups = { ...enterprise, measures: enterprise.measures.map(({ group: _g, ...m }) => ({ ...m, weight: m.weight + 1 })) };
    const saved = await saveModelVersion(db.prisma, { definition: withoutGroups, actor, note: 'weights' });
    expect(saved.measures.slice(0, 4).map((m) => m.group)).toEqual(['transactional', 'transactional', 'transactional', 'engagement']);
    const cleared = await saveModelVersion(db.prisma, { definition: { ...stripVersion(saved), measures: saved.measures.map((m) => ({ ...m, group: null })) }, actor, note: 'no groups' });
    expect(cleared.measures.every((m) => m.group === null)).toBe(true);
  });

  it('refuses a new model for a segment another model owns, with a sentence rather than a database error', async () => {
    const attempt = saveModelVersion(db.prisma, { definition: { ...enterprise, key: 'ent2' }, actor, note: '' });
    await expect(attempt).rejects.toBeInstanceOf(InvalidModelError);
    await expect(attempt).rejects.toThrow('segment: segment "enterprise" already has a model ("enterprise"); set "key": "enterprise" to change that model, or pick another segment for "ent2"');
    expect(await db.prisma.healthModel.count({ where: { key: 'ent2' } })).toBe(0);
  });

  it('refuses a non-default model without a segment, and normalises a new segment like account imports do', async () => {
    await expect(saveModelVersion(db.prisma, { definition: { ...enterprise, key: 'other', segment: null }, actor, note: '' })).rejects.toThrow(/model "other" needs a segment/);
    const startUp = await saveModelVersion(db.prisma, { definition: { ...enterprise, key: 'startup', name: 'Start-ups', segment: 'Start Up' }, actor, note: '' });
    expect(startUp.segment).toBe('start-up');
    expect((await loadActiveModels(db.prisma)).forSegment('start-up').key).toBe('startup');
  });

  it('says which versions exist when restoring one that does not', async () => {
    const latest = await versions('enterprise');
    const attempt = restoreModelVersion(db.prisma, { modelKey: 'enterprise', version: 99, actor });
    await expect(attempt).rejects.toBeInstanceOf(UnknownModelError);
    await expect(attempt).rejects.toThrow(`model "enterprise" has no version 99 (its versions are 1 to ${latest}; see \`account-health model history enterprise\`)`);
    await expect(restoreModelVersion(db.prisma, { modelKey: 'nope', version: 1, actor })).rejects.toThrow('unknown model "nope"');
  });

  it('brings the custom metrics a model file defines, exports them, and refuses a conflicting definition', async () => {
    const custom = { key: 'api_calls_30d', label: 'API calls (30 days)', unit: 'calls', direction: 'higher_is_better' as const, category: 'engagement' as const, freshnessDays: 30, description: '', minValue: 0, maxValue: null };
    const definition = { ...enterprise, measures: [...enterprise.measures, { metricKey: 'api_calls_30d', weight: 5, good: 5000, poor: 500 }], customMetrics: [custom] };
    await saveModelVersion(db.prisma, { definition, actor, note: 'api calls' });
    expect(await db.prisma.metricDefinition.findUnique({ where: { key: 'api_calls_30d' } })).toMatchObject({ label: 'API calls (30 days)', builtIn: false, minValue: 0 });
    const current = (await loadActiveModels(db.prisma)).byKey.get('enterprise');
    expect(current && stripVersion(current).customMetrics).toEqual([custom]);
    const conflicting = saveModelVersion(db.prisma, { definition: { ...definition, customMetrics: [{ ...custom, direction: 'lower_is_better' as const }] }, actor, note: '' });
    await expect(conflicting).rejects.toThrow('metric "api_calls_30d" already exists with a different direction');
  });
});

describe.each(DATABASE_KINDS)('metric catalogue (%s)', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await ensureCatalogueAndModels(db.prisma);
  });
  afterAll(async () => {
    await db.close();
  });

  it('gives built-in metrics plausible ranges, and restores them on a database seeded before ranges existed', async () => {
    expect(await db.prisma.metricDefinition.findUnique({ where: { key: 'csm_sentiment' } })).toMatchObject({ minValue: 1, maxValue: 5 });
    expect(await db.prisma.metricDefinition.findUnique({ where: { key: 'feature_adoption_pct' } })).toMatchObject({ minValue: 0, maxValue: 100 });
    await db.prisma.metricDefinition.updateMany({ data: { minValue: null, maxValue: null } });
    await ensureCatalogueAndModels(db.prisma);
    expect(await db.prisma.metricDefinition.findUnique({ where: { key: 'nps' } })).toMatchObject({ minValue: -100, maxValue: 100 });
  });

  it('adds a custom metric, lists it, and refuses a duplicate or invalid one field by field', async () => {
    await addMetric(db.prisma, { key: 'seats_used_pct', label: 'Seats used', unit: '%', direction: 'higher_is_better', freshnessDays: 30, minValue: 0, maxValue: 100 });
    expect((await listMetrics(db.prisma)).find((m) => m.key === 'seats_used_pct')).toMatchObject({ builtIn: false, category: 'custom', maxValue: 100 });
    await expect(addMetric(db.prisma, { key: 'seats_used_pct', label: 'Again', direction: 'higher_is_better', freshnessDays: 30 })).rejects.toThrow('"seats_used_pct" is already in the catalogue');
    await expect(addMetric(db.prisma, { key: 'nps', label: 'Mine', direction: 'higher_is_better', freshnessDays: 30 })).rejects.toThrow('"nps" is a built-in metric');
    const invalid = await addMetric(db.prisma, { key: 'Bad Key', label: '', direction: 'up', freshnessDays: 0, minValue: 5, maxValue: 1 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidMetricError);
    expect(invalid instanceof InvalidMetricError ? invalid.issues.map((i) => i.path) : []).toEqual(['key', 'label', 'direction', 'freshnessDays']);
  });
});
