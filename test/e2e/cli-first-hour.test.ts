// The small edges a new user hits in the first hour, through the real entry
// point: a future-dated CSV line, a segment without a model, `demo | head`,
// the audit actor without $USER, a model file that does not exist; and
// changing and removing a metric, through the dispatcher in this process.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { cliArgs, PROJECT_DIR, runCliProcess } from '../support/spawn-cli.js';

describe('first-hour edges of the command line', () => {
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCliProcess(args, env);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-first-hour-'));
    env = { DATA_DIR: path.join(dir, 'data') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a future-dated observation with its line, and notes a segment without a model', async () => {
    await writeFile(path.join(dir, 'accounts.csv'), 'external_id,name,segment\nG-1,Gigantic Corp,gigantic\nS-1,Small Co,smb\n');
    const accounts = await cli('import', 'accounts', path.join(dir, 'accounts.csv'));
    expect(accounts.code).toBe(0);
    expect(accounts.output).toContain('note: segment gigantic has no model: scored with the default model');
    expect(accounts.output).not.toContain('segment smb');

    const soon = new Date(Date.now() + 60_000).toISOString();
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await writeFile(path.join(dir, 'metrics.csv'), `account,metric,value,observed_at\nG-1,nps,30,2026-11-01\nG-1,nps,35,${soon}\nG-1,nps,40,${later}\n`);
    const metrics = await cli('import', 'metrics', path.join(dir, 'metrics.csv'));
    expect(metrics.code).toBe(1);
    expect(metrics.output).toContain('2 loaded (2 new, 0 updated), 1 rejected');
    expect(metrics.output).toMatch(/line 4: observed_at \S+ is in the future \(now is \S+; up to 5 minutes of clock skew is allowed\)/);
  }, 120_000);

  it('changes and removes a custom metric, refusing both while a model measures it', async () => {
    // Fourteen commands of pure command logic: the dispatcher in this process (see run-cli-in-process.ts).
    const cli = (...args: string[]) => runCliInProcess(args, env);
    expect((await cli('metric', 'add', 'api_calls_30d', '--label', 'API calls', '--direction', 'higher')).code).toBe(0);
    const updated = await cli('metric', 'update', 'api_calls_30d', '--label', 'API calls (30 days)', '--freshness-days', '14', '--min', '0');
    expect(updated.output.trim()).toBe('Updated api_calls_30d: --label, --freshness-days, --min.');
    expect((await cli('metric', 'list')).output).toMatch(/api_calls_30d +API calls \(30 days\) \(no unit; higher is better; custom; fresh 14d {2}range 0\.\.∞\)/);
    expect((await cli('metric', 'update', 'nps', '--label', 'x')).output).toContain('"nps" is a built-in metric and cannot be changed');

    // A model file that measures it (customMetrics makes the file self-contained).
    const file = path.join(dir, 'default.json');
    expect((await cli('model', 'export', 'default', file)).code).toBe(0);
    const exported = JSON.parse(await readFile(file, 'utf8')) as { model: { measures: unknown[] } };
    exported.model.measures.push({ metricKey: 'api_calls_30d', weight: 5, good: 1000, poor: 10 });
    await writeFile(file, JSON.stringify(exported));
    expect((await cli('model', 'import', file)).code).toBe(0);

    const flip = await cli('metric', 'update', 'api_calls_30d', '--direction', 'lower');
    expect(flip.code).toBe(1);
    expect(flip.output).toContain('api_calls_30d is measured by model(s) default, whose thresholds assume higher is better; its direction cannot change while a model uses it');
    const remove = await cli('metric', 'remove', 'api_calls_30d');
    expect(remove.code).toBe(1);
    expect(remove.output).toContain('api_calls_30d is measured by model(s) default; take it out of the model first');

    expect((await cli('metric', 'add', 'seats_used', '--label', 'Seats', '--direction', 'higher')).code).toBe(0);
    await writeFile(path.join(dir, 'seats.csv'), 'account,metric,value,observed_at\nS-1,seats_used,4,2026-11-01\n');
    expect((await cli('import', 'metrics', path.join(dir, 'seats.csv'))).code).toBe(0);
    const guarded = await cli('metric', 'remove', 'seats_used');
    expect(guarded.output).toContain('1 observation(s) of seats_used are stored; add --with-observations to delete them with the metric');
    const removed = await cli('metric', 'remove', 'seats_used', '--with-observations');
    expect(removed.output.trim()).toBe('Removed seats_used and its 1 stored observation(s).');
    expect((await cli('metric', 'list')).output).not.toContain('seats_used');
  }, 240_000);

  it('records the OS user as the actor when $USER is unset, and says when a model file does not exist', async () => {
    expect(env.USER).toBeUndefined();
    const history = await cli('model', 'history', 'default');
    expect(history.output).toContain(`cli:${os.userInfo().username}`);
    expect(history.output).not.toContain('cli:unknown');
    const missing = await cli('model', 'import', path.join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.output.trim()).toBe(`${path.join(dir, 'nope.json')} does not exist`);
  }, 60_000);

  it('`demo | head`: the reader leaving does not crash the demo, and the demo is loaded whole', async () => {
    const demoDir = path.join(dir, 'demo-data');
    const child = spawn(process.execPath, cliArgs(['demo', '--accounts', '12']), {
      cwd: PROJECT_DIR, env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: demoDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // Like `head -1`: read the first chunk, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);

    const db = await openDatabase({ kind: 'pglite', dataDir: demoDir }, { command: 'test' });
    try {
      // The 12 customers asked for, and the 6 former customers of the demo's renewal history.
      expect(await db.prisma.account.count()).toBe(18);
      const scored = await db.prisma.accountScore.count();
      expect(scored).toBeGreaterThan(0);
      expect(await db.prisma.metricObservation.count()).toBeGreaterThan(12 * 40);
    } finally {
      await db.close();
    }
  }, 180_000);
});
