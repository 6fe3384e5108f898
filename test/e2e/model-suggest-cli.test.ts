// `account-health model suggest` as a user runs it (the command line's
// dispatcher, run in this process), on both databases: the evidence is printed, nothing changes
// without --apply, too few outcomes evaluate only, and --apply saves an
// audited version that scores are recomputed with and that can be restored.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { loadActiveModels } from '../../src/models/model-store.js';
import { prepareCliDatabase } from '../support/cli-database.js';
import { DATABASE_KINDS, type DatabaseKind } from '../support/databases.js';
import { seedOutcomePortfolio } from '../support/seed-outcomes.js';
import { recomputeAt } from '../support/seed.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

describe.each(DATABASE_KINDS)('account-health model suggest (%s)', (kind: DatabaseKind) => {
  let env: Record<string, string>;
  let dir: string;
  let open: () => Promise<Database>;
  const cli = (...args: string[]) => runCliInProcess(['model', ...args], env);
  const withDb = async <T>(fn: (db: Database) => Promise<T>) => {
    const db = await open();
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-suggest-'));
    ({ env, open } = await prepareCliDatabase(kind, dir));
    await withDb(async (db) => {
      // Too few for the default model at first: 12 outcomes.
      await seedOutcomePortfolio(db, new Date(), { accounts: 12, seed: 3, prefix: 'FEW' });
      await recomputeAt(db, new Date());
    });
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('with too few outcomes, evaluates only and changes nothing, even with --apply', async () => {
    const result = await cli('suggest', 'default', '--apply');
    expect(result.code).toBe(1);
    expect(result.output).toContain('Confidence: evaluate only (fewer than 8 churned or 8 renewed outcomes): no suggestion.');
    expect(result.output).toMatch(/No suggestion: too few outcomes to learn from: \d+ churned and \d+ renewed \(at least 8 of each are needed\)\. Nothing was changed\./);
    expect(result.output).toContain('--apply: there is no suggestion to apply; the model was not changed.');
    expect(result.output).toMatch(/current weights +0\.\d\d {2}\(95% interval/);
    await withDb(async (db) => expect((await loadActiveModels(db.prisma)).byKey.get('default')?.version).toBe(1));
  }, 120_000);

  // What `suggest default` printed on the 172-account history, before --apply (the next test compares with it).
  let evidence = '';

  it('prints the evidence and changes nothing without --apply', async () => {
    await withDb((db) => seedOutcomePortfolio(db, new Date(), { accounts: 160, seed: 11, prefix: 'HIST' }));
    const result = await cli('suggest', 'default');
    expect(result.code, result.output).toBe(0);
    const out = result.output;
    evidence = out;
    expect(out).toMatch(/Model default v1: weights learned from renewal outcomes, each judged on the inputs stored 90 days before it\./);
    expect(out).toMatch(/Outcomes: \d+ churned and \d+ renewed on 172 accounts \(172 of 172 known\)\./);
    expect(out).toMatch(/Confidence: (medium|high)/);
    expect(out).toMatch(/current weights +0\.\d\d {2}\(95% interval 0\.\d\d to 0\.\d\d\)/);
    expect(out).toMatch(/suggested weights +0\.\d\d {2}\(95% interval 0\.\d\d to 0\.\d\d\) {2}\(cross-validated/);
    expect(out).toMatch(/difference +[+−]0\.\d\d {2}\(95% interval [+−]0\.\d\d to [+−]0\.\d\d\): (likely better|not proven)/);
    expect(out).toMatch(/ {2}healthy +\d+ +\d+ +(\d+%|—) {2}→ {2}/);
    expect(out).toMatch(/Churned outcomes that were at risk or critical: \d+% → \d+%/);
    expect(out).toMatch(/logins_30d +\d+ → +\d+ +0\.\d\d +separates/);
    expect(out).toMatch(/days_to_renewal +4 → +4 +0\.50 +not learned: set by the calendar/);
    expect(out).toMatch(/penalty chosen by 5-fold stratified cross-validation repeated 3 times over 8 values \(chose [\d.]+\); intervals from 1000 stratified bootstrap replicates by account; seed \d+/);
    expect(out).toContain('Nothing was changed. To use these weights: account-health model suggest default --apply');
    await withDb(async (db) => expect((await loadActiveModels(db.prisma)).byKey.get('default')?.version).toBe(1));
  }, 120_000);

  it('--apply saves an audited version with the suggested weights, recomputes, and can be restored', async () => {
    // The run before, on the same data: the previous test's (a second identical process would only cost time).
    expect(evidence).toContain('Nothing was changed.');
    const result = await cli('suggest', 'default', '--apply');
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Saved default v2 with the suggested weights (restore v1 with `account-health model restore default 1`).');
    expect(result.output).toMatch(/Scores recomputed for \d+ accounts\./);
    // The same seeded evidence both times.
    expect(result.output.split('\n').filter((l) => l.includes('interval'))).toEqual(evidence.split('\n').filter((l) => l.includes('interval')));
    await withDb(async (db) => {
      const model = (await loadActiveModels(db.prisma)).byKey.get('default');
      expect(model?.version).toBe(2);
      const weights = new Map(model?.measures.map((m) => [m.metricKey, m.weight]));
      expect([...weights.values()].reduce((a, b) => a + b, 0)).toBe(100);
      // Learned weights under 5 are dropped; days_to_renewal is not learned and keeps its 4.
      expect([...weights].every(([key, w]) => w >= 5 || key === 'days_to_renewal')).toBe(true);
      expect(weights.get('days_to_renewal')).toBe(4);
      expect(weights.get('logins_30d') ?? 0).toBeGreaterThan(12);
      const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'model.save', entityId: 'default' }, orderBy: { id: 'desc' } });
      expect(audit.actor).toMatch(/^cli:/);
      const version = await db.prisma.healthModelVersion.findFirstOrThrow({ where: { version: 2, model: { key: 'default' } } });
      expect(version.note).toMatch(/^weights suggested from \d+ churned and \d+ renewed outcomes, 90 days before each \(confidence (medium|high)\)$/);
      const scored = await db.prisma.accountScore.findMany({ include: { snapshot: { select: { modelVersionId: true } } } });
      expect(scored.length).toBeGreaterThan(0);
      expect(scored.every((s) => s.snapshot.modelVersionId === version.id)).toBe(true);
    });
    const restored = await cli('restore', 'default', '1');
    expect(restored.code).toBe(0);
    expect(restored.output).toContain('Restored default v1 as v3.');
  }, 240_000);

  it('refuses a bad --lead-days and an unknown model', async () => {
    const bad = await cli('suggest', 'default', '--lead-days', 'ninety');
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--lead-days must be a whole number from 7 to 365');
    const unknown = await cli('suggest', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/nope/);
  }, 120_000);
});
