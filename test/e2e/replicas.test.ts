// Two real `serve` processes on one PostgreSQL database with a per-second
// schedule: each tick is recomputed exactly once, and no alert is posted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createPostgresDatabase } from '../support/databases.js';
import { FakeSlack } from '../support/fake-slack.js';
import { DECLINING, HEALTHY, seedAccounts } from '../support/seed.js';
import { TEST_SIGNING_SECRET } from '../support/slack-requests.js';
import { spawnCli, type CliProcess } from '../support/spawn-cli.js';

describe('two replicas on one PostgreSQL database', () => {
  let url: string;
  let db: Database;
  let fake: FakeSlack;
  const replicas: CliProcess[] = [];

  beforeAll(async () => {
    url = await createPostgresDatabase();
    db = await openDatabase({ kind: 'postgres', url }, { command: 'test' });
    fake = await new FakeSlack().start();
    await seedAccounts(db, new Date(), [
      { externalId: 'R-1', name: 'Replica One', channel: 'C0REPL0001', metrics: DECLINING },
      { externalId: 'R-2', name: 'Replica Two', channel: 'C0REPL0002', metrics: DECLINING },
      { externalId: 'R-3', name: 'Replica Three', channel: 'C0REPL0003', metrics: HEALTHY },
    ]);
  });
  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await fake.stop();
    await db.close();
  });

  it('runs one recomputation per tick and posts each alert once', async () => {
    for (let i = 0; i < 2; i += 1) {
      replicas.push(
        spawnCli(['serve'], {
          DATABASE_URL: url,
          SLACK_BOT_TOKEN: 'xoxb-replica',
          SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
          SLACK_API_URL: fake.apiUrl,
          PORT: '0',
          RECOMPUTE_CRON: '* * * * * *',
          LOG_LEVEL: 'info',
        }),
      );
    }
    await Promise.all(replicas.map((r) => r.waitForOutput(/account-health is serving/, 40_000)));
    const deadline = Date.now() + 30_000;
    while ((await db.prisma.scoreRun.count({ where: { trigger: 'schedule', status: 'completed' } })) < 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 2_500));
    for (const r of replicas) r.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.exited));

    const runs = await db.prisma.scoreRun.findMany({ where: { trigger: 'schedule' }, orderBy: { asOf: 'asc' } });
    const completed = runs.filter((r) => r.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(5);
    const perTick = new Map<number, number>();
    for (const run of completed) perTick.set(run.asOf.getTime(), (perTick.get(run.asOf.getTime()) ?? 0) + 1);
    expect([...perTick.values()].every((n) => n === 1)).toBe(true);
    expect(runs.filter((r) => r.status === 'failed')).toEqual([]);

    // Every recorded run was logged by exactly one of the two processes.
    const logged = replicas.map((r) => (r.output().match(/"msg":"recomputed scores","trigger":"schedule"/g) ?? []).length);
    expect(logged.reduce((a, b) => a + b, 0)).toBe(completed.length);

    // Both replicas were live: both logged serving; alerts were posted exactly once.
    expect(await db.prisma.alert.count()).toBe(2);
    expect(fake.messages.get('C0REPL0001')).toHaveLength(1);
    expect(fake.messages.get('C0REPL0002')).toHaveLength(1);
    expect(fake.messages.get('C0REPL0003')).toBeUndefined();
  }, 90_000);
});
