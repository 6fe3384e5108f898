// `account-health model evaluate|history|restore|import` as a user runs them
// (the command line's dispatcher, run in this process), on both databases. A restore or
// import recomputes scores with the new version at once, as saving in Slack does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { loadActiveModels, saveModelVersion, stripVersion } from '../../src/models/model-store.js';
import { DEFAULT_MODELS } from '../../src/scoring/default-models.js';
import { MODEL_EXPORT_FORMAT } from '../../src/scoring/model-schema.js';
import { prepareCliDatabase } from '../support/cli-database.js';
import { DATABASE_KINDS, type DatabaseKind } from '../support/databases.js';
import { DECLINING, HEALTHY, recomputeAt, seedAccounts, setMetrics } from '../support/seed.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const DAY = 86_400_000;
const DEFAULT_MODEL = { ...DEFAULT_MODELS[0]!, versionId: 0, version: 0 };

describe.each(DATABASE_KINDS)('account-health model (%s)', (kind: DatabaseKind) => {
  let env: Record<string, string>;
  let dir: string;
  let open: () => Promise<Database>;
  const cli = (...args: string[]) => runCliInProcess(['model', ...args], env);
  /** Snapshots of the default model, per version number. */
  const snapshotsByVersion = async () => {
    const db = await open();
    try {
      const rows = await db.prisma.scoreSnapshot.findMany({ select: { modelVersion: { select: { version: true, model: { select: { key: true } } } } } });
      const counts: Record<number, number> = {};
      for (const r of rows) if (r.modelVersion.model.key === 'default') counts[r.modelVersion.version] = (counts[r.modelVersion.version] ?? 0) + 1;
      return counts;
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-model-cli-'));
    ({ env, open } = await prepareCliDatabase(kind, dir));
    // The CLI runs on the real clock.
    const now = new Date();
    const db = await open();
    try {
      const ids = await seedAccounts(db, now, [
        { externalId: 'ACME', name: 'Acme Corp', metrics: DECLINING },
        { externalId: 'BETA', name: 'Beta Works', metrics: HEALTHY },
        { externalId: 'LOST', name: 'Lost Ltd', metrics: {} },
      ]);
      await db.prisma.account.update({ where: { id: ids.get('LOST') }, data: { churnedOn: new Date(now.getTime() - 10 * DAY) } });
      await setMetrics(db, ids.get('LOST') ?? 0, DECLINING, new Date(now.getTime() - 75 * DAY));
      await recomputeAt(db, now);
      // v2, saved without recomputing: scores still come from v1.
      const current = (await loadActiveModels(db.prisma)).forSegment(null);
      const heavier = { ...stripVersion(current), measures: current.measures.map((m) => (m.metricKey === 'orders_30d' ? { ...m, weight: 60 } : m)) };
      await saveModelVersion(db.prisma, { definition: heavier, actor: 'U0ADMIN001', note: 'orders matter most' });
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('evaluates how well each model separates churned from retained accounts', async () => {
    const all = await cli('evaluate');
    expect(all.code).toBe(0);
    // Lost scored like Acme 60 days before churning (a tie), below Beta: 0.75.
    expect(all.output).toMatch(/^default {6}ROC AUC 0\.75 over 1 churned and 2 retained accounts/m);
    expect(all.output).toMatch(/^enterprise {3}not enough outcomes yet \(0 churned, 0 retained accounts with enough data\)/m);
  }, 30_000);

  it('restores an earlier version as a new one and recomputes with it at once', async () => {
    expect(await snapshotsByVersion()).toEqual({ 1: 2 });
    const restored = await cli('restore', 'default', '1');
    expect(restored.code).toBe(0);
    expect(restored.output).toContain('Restored default v1 as v3.');
    expect(restored.output).toContain('Scores recomputed for 2 accounts.');
    expect((await snapshotsByVersion())[3]).toBe(2);
  }, 30_000);

  it('imports a model file as a new version and recomputes with it', async () => {
    const file = path.join(dir, 'default.json');
    const model = { ...stripVersion(DEFAULT_MODEL), measures: DEFAULT_MODEL.measures.map((m) => (m.metricKey === 'nps' ? { ...m, weight: 20 } : m)) };
    await writeFile(file, JSON.stringify({ format: MODEL_EXPORT_FORMAT, model }));
    const imported = await cli('import', file);
    expect(imported.code).toBe(0);
    expect(imported.output).toContain('Saved default v4.');
    expect(imported.output).toContain('Scores recomputed for 2 accounts.');
    expect((await snapshotsByVersion())[4]).toBe(2);
  }, 30_000);

  it('says so when the version to restore does not exist, and saves nothing', async () => {
    const missing = await cli('restore', 'default', '99');
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('model "default" has no version 99 (its versions are');
    expect(missing.output).not.toContain('recomputed');
  }, 30_000);

  it('lists the history, newest first, with the current version marked', async () => {
    const history = await cli('history', 'default');
    expect(history.code).toBe(0);
    const lines = history.output.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^v4 +\S+ +cli:\S+ +12 measures +imported from .*default\.json {2}\(current\)$/);
    expect(lines[1]).toMatch(/^v3 +\S+ +cli:\S+ +12 measures +restored version 1$/);
    expect(lines[2]).toMatch(/^v2 +\S+ +U0ADMIN001 +12 measures +orders matter most$/);
    expect(lines[3]).toMatch(/^v1 +\S+ +system +12 measures +seeded model$/);
  }, 30_000);
});
