// Commands as a user types them, through the command line's dispatcher (the
// unreachable database through the real entry point in a child process): adding a metric
// and importing it, refusals that must be one clear line (a future --as-of, a
// flag without --backfill, a directory, an unreachable database, a token name
// in use), never a stack trace.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { runCliProcess } from '../support/spawn-cli.js';

describe('account-health commands', () => {
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCliInProcess(args, env);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-commands-'));
    env = { DATA_DIR: path.join(dir, 'data') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a metric with `metric add`, lists it, imports it, and refuses a bad one field by field', async () => {
    const help = await cli('metric', '--help');
    expect(help.code).toBe(0);
    expect(help.output).toContain('account-health metric add KEY --label TEXT --direction higher|lower');

    const added = await cli('metric', 'add', 'api_calls_30d', '--label', 'API calls (30 days)', '--direction', 'higher', '--unit', 'calls', '--category', 'engagement', '--freshness-days', '14', '--min', '0');
    expect(added.output.trim()).toBe('Added api_calls_30d (API calls (30 days)). Import it with metric=api_calls_30d; add it to a model to score it.');
    expect(added.code).toBe(0);
    const list = await cli('metric', 'list');
    expect(list.output).toMatch(/api_calls_30d +API calls \(30 days\) \(calls; higher is better; engagement; fresh 14d {2}range 0\.\.∞\) {2}\[custom\]/);
    expect(list.output).toMatch(/csm_sentiment .*range 1\.\.5\)/);

    const bad = await cli('metric', 'add', 'Bad Key', '--label', 'x', '--direction', 'sideways');
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('KEY: metric keys are 2–63 lower-case letters');
    expect(bad.output).toContain('--direction: direction must be higher or lower (or higher_is_better / lower_is_better)');
    expect(help.output).toContain('higher_is_better / lower_is_better also accepted');
    const range = await cli('metric', 'add', 'seats_pct', '--label', 'Seats', '--direction', 'lower', '--min', '5', '--max', '1');
    expect(range.code).toBe(1);
    expect(range.output).toContain('--max: min must be below max');

    await writeFile(path.join(dir, 'accounts.csv'), 'external_id,name\nA-1,Acme\n');
    await writeFile(path.join(dir, 'metrics.csv'), 'account,metric,value,observed_at\na-1,api_calls_30d,1200,2026-11-01\nA-1,moon_phase,3,2026-11-01\nA-1,api_calls_30d,-5,2026-11-02\n');
    expect((await cli('import', 'accounts', path.join(dir, 'accounts.csv'))).code).toBe(0);
    const metrics = await cli('import', 'metrics', path.join(dir, 'metrics.csv'));
    expect(metrics.output).toContain('1 loaded (1 new, 0 updated), 2 rejected');
    expect(metrics.output).toContain('line 3: unknown metric "moon_phase" (add it with `account-health metric add moon_phase --label … --direction …`');
    expect(metrics.output).toContain('line 4: value -5 is out of range for api_calls_30d (expected 0 or more)');
  }, 240_000);

  it('refuses a future --as-of, recompute flags that need --backfill, and a directory to import, each in one line', async () => {
    const future = await cli('recompute', '--as-of', '2999-01-01');
    expect(future.code).toBe(2);
    expect(future.output).toMatch(/^account-health recompute: --as-of 2999-01-01T00:00:00\.000Z is in the future; scores can only be computed up to now/);
    const from = await cli('recompute', '--from', '2026-01-01');
    expect(from.code).toBe(2);
    expect(from.output).toMatch(/^account-health recompute: --from only works with --backfill/);
    const folder = path.join(dir, 'exports');
    await mkdir(folder);
    const imported = await cli('import', 'accounts', folder);
    expect(imported.code).toBe(2);
    expect(imported.output).toMatch(new RegExp(`^account-health import: ${folder.replaceAll('/', '\\/')} is a directory; name a CSV file in it`));
    expect(imported.output).not.toContain('EISDIR');
  }, 60_000);

  it('refuses a second token with a name in use', async () => {
    expect((await cli('token', 'create', 'sync')).code).toBe(0);
    const twice = await cli('token', 'create', 'sync');
    expect(twice.code).toBe(1);
    expect(twice.output.trim()).toMatch(/^an active token is already named "sync" \(id \d+\); pick another name, or revoke that one first$/);
  }, 60_000);

  it('names DATABASE_URL and the cause in one line when the database cannot be reached', async () => {
    const { code, output } = await runCliProcess(['recompute'], { DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:1/health' });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'Cannot use the database at DATABASE_URL=postgres://postgres:***@127.0.0.1:1/health: connect ECONNREFUSED 127.0.0.1:1 (nothing accepts connections there: is PostgreSQL running, on that host and port?).',
    ]);
  }, 30_000);
});
