// Data that arrives moves the score at once: a real `serve` (PostgreSQL, so a
// CLI import can run beside it) rescores the accounts an API call or a CSV
// import touched within seconds — not at the next scheduled tick (set here to
// 03:00, far away) — and the API answer says when.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createPostgresDatabase } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { HEALTHY } from '../support/seed.js';
import { TEST_SIGNING_SECRET } from '../support/slack-requests.js';
import { runCliProcess, startServeProcess, type ServeProcess } from '../support/spawn-cli.js';

const COLLAPSED: Record<string, number> = {
  orders_30d: 1, order_value_trend_90d: -40, late_payments_90d: 6, logins_30d: 5, feature_adoption_pct: 5,
  open_support_tickets: 20, nps: -50, csat: 40, complaints_90d: 8, days_since_last_contact: 90,
};

describe('serve rescores what an ingestion touched (real processes, PostgreSQL)', () => {
  let dir: string;
  let fake: FakeSlack;
  let db: Database;
  let serve: ServeProcess;
  let env: Record<string, string>;
  let bearer: string;

  const currentBand = async (externalId: string) => {
    const rows = await db.prisma.$queryRaw<{ band: string }[]>`
      SELECT s.band FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ${externalId}`;
    return rows[0]?.band ?? null;
  };
  const waitForBand = async (externalId: string, band: string) => {
    const deadline = Date.now() + 20_000;
    let seen = await currentBand(externalId);
    while (seen !== band && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await currentBand(externalId);
    }
    return seen;
  };
  const post = (route: string, body: unknown) =>
    fetch(`${serve.url}/api/v1/${route}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const observations = (values: Record<string, number>, at: Date) =>
    Object.entries(values).map(([metric, value]) => ({ account: 'RT-1', metric, value, observed_at: at.toISOString() }));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-rescore-'));
    fake = await new FakeSlack().start();
    const url = await createPostgresDatabase();
    env = { DATABASE_URL: url, SLACK_BOT_TOKEN: 'xoxb-rescore', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, RECOMPUTE_CRON: '0 3 * * *' };
    const token = await runCliProcess(['token', 'create', 'rescore-sync'], env);
    bearer = /ahk_\S+/.exec(token.output)?.[0] ?? '';
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test' });
    serve = await startServeProcess(env);
  }, 120_000);
  afterAll(async () => {
    serve.cli.child.kill('SIGTERM');
    await serve.cli.exited;
    await db.close();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('an API call moves the score within seconds and says so; a collapse opens and posts its alert', async () => {
    expect((await post('accounts', [{ external_id: 'RT-1', name: 'Realtime Co', slack_channel_id: 'C0REALTIME' }])).status).toBe(200);
    const healthy = await post('metrics', observations(HEALTHY, new Date(Date.now() - 3_600_000)));
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ loaded: 10, inserted: 10, updated: 0, rejected: 0, rescore: { accounts: 1, withinSeconds: 5 } });
    expect(await waitForBand('RT-1', 'healthy')).toBe('healthy');

    expect((await post('metrics', observations(COLLAPSED, new Date(Date.now() - 60_000)))).status).toBe(200);
    expect(await waitForBand('RT-1', 'critical')).toBe('critical');
    await fake.waitFor(() => fake.callsTo('chat.postMessage').length > 0, 20_000);
    expect(String(fake.callsTo('chat.postMessage')[0]?.args.text)).toMatch(/^⚠️ Realtime Co: health fell/);
  }, 90_000);

  it('a CSV import through the CLI, beside serve, rescores the accounts it touched as it finishes', async () => {
    const file = path.join(dir, 'metrics.csv');
    await writeFile(file, ['account,metric,value,observed_at', ...observations(HEALTHY, new Date(Date.now() - 30_000)).map((o) => `${o.account},${o.metric},${o.value},${o.observed_at}`)].join('\n') + '\n');
    const imported = await runCliProcess(['import', 'metrics', file], env);
    expect(imported.code).toBe(0);
    expect(imported.output).toContain('Rescored the 1 account(s) this import touched');
    expect(await currentBand('RT-1')).toBe('healthy');
  }, 90_000);
});
