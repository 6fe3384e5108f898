// Scoring a past date is history, not news: `recompute --as-of` and
// `recompute --backfill`, run as a user types them with Slack configured, write
// snapshots but never open, change, resolve or post an alert — while the
// present run, on the same data, still judges and posts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { HEALTHY } from '../support/seed.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const DAY = 86_400_000;
/** Every measure at or past its "poor" threshold: a critical account. */
const COLLAPSED: Record<string, number> = {
  orders_30d: 1, order_value_trend_90d: -40, late_payments_90d: 6, logins_30d: 5, feature_adoption_pct: 5,
  open_support_tickets: 20, nps: -50, csat: 40, complaints_90d: 8, days_since_last_contact: 90,
};
const day = (d: Date) => d.toISOString().slice(0, 10);

describe('a past date is history, not news (the command line\'s dispatcher, fake Slack)', () => {
  let dir: string;
  let fake: FakeSlack;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCliInProcess(args, env);
  const now = new Date();
  const collapsedOn = new Date(now.getTime() - 60 * DAY);
  const pastAsOf = new Date(now.getTime() - 58 * DAY);

  const alerts = async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR ?? '' }, { command: 'test' });
    try {
      return await db.prisma.alert.findMany({ select: { state: true, accountId: true } });
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-past-'));
    fake = await new FakeSlack().start();
    env = { DATA_DIR: path.join(dir, 'data'), SLACK_BOT_TOKEN: 'xoxb-past-test', SLACK_API_URL: fake.apiUrl };
    await writeFile(path.join(dir, 'accounts.csv'), 'external_id,name,slack_channel_id\nNW-1,Northwind Traders,C0NORTH001\n');
    const rows = (values: Record<string, number>, at: Date) => Object.entries(values).map(([metric, value]) => `NW-1,${metric},${value},${at.toISOString()}`);
    await writeFile(path.join(dir, 'metrics.csv'), ['account,metric,value,observed_at',
      ...rows(HEALTHY, new Date(now.getTime() - 90 * DAY)),
      ...rows(COLLAPSED, collapsedOn),
      ...rows(HEALTHY, new Date(now.getTime() - DAY)),
    ].join('\n') + '\n');
    expect((await cli('import', 'accounts', path.join(dir, 'accounts.csv'))).code).toBe(0);
    expect((await cli('import', 'metrics', path.join(dir, 'metrics.csv'))).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('recompute --as-of a past date and --backfill write scores only; no alert is opened or sent', async () => {
    const backfill = await cli('recompute', '--backfill', '--from', day(new Date(now.getTime() - 100 * DAY)), '--to', day(new Date(now.getTime() - 70 * DAY)));
    expect(backfill.code).toBe(0);

    const past = await cli('recompute', '--as-of', pastAsOf.toISOString());
    expect(past.code).toBe(0);
    expect(past.output).toMatch(/critical 1/);
    expect(past.output).toContain('as history: a past date opens, updates, resolves and sends no alerts');
    expect(await alerts()).toEqual([]);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);

    // The present is healthy: nothing to say about Northwind today either.
    const present = await cli('recompute');
    expect(present.code).toBe(0);
    expect(present.output).toMatch(/healthy 1/);
    expect(present.output).toContain('0 alert(s) opened');
    expect(await alerts()).toEqual([]);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
    expect(fake.callsTo('chat.update')).toEqual([]);
  }, 120_000);

  it('the present still judges and posts: a collapse today opens an alert and says nothing about a past date', async () => {
    await writeFile(path.join(dir, 'today.csv'), ['account,metric,value,observed_at',
      ...Object.entries(COLLAPSED).map(([metric, value]) => `NW-1,${metric},${value},${new Date(Date.now() - 60_000).toISOString()}`)].join('\n') + '\n');
    // The import rescores the account it touched, as of now: that is news.
    const imported = await cli('import', 'metrics', path.join(dir, 'today.csv'));
    expect(imported.code).toBe(0);
    expect(imported.output).toContain('1 alert(s) opened (serve posts them)');
    const present = await cli('recompute');
    expect(present.output).toContain('1 delivered');
    const [post] = fake.callsTo('chat.postMessage');
    expect(String(post?.args.text)).toMatch(/^⚠️ Northwind Traders: health fell — \d+\/100 \(Critical\)$/);
    expect(await alerts()).toEqual([expect.objectContaining({ state: 'open' })]);
  }, 120_000);
});
