// A Slack request is served once: the same signed request sent twice (a
// replay, or Slack re-sending after a slow acknowledgement) is acknowledged
// both times and processed once — also when the copies reach two replicas
// sharing one database. A new request (new signature) is served as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/databases.js';
import { HEALTHY, recomputeAt, seedAccounts } from '../support/seed.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const now = new Date('2026-11-20T10:00:00Z');
const CSM = 'U0CSM00001';

describe.each(DATABASE_KINDS)('a repeated Slack request (%s)', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
    await seedAccounts(t.db, now, [{ externalId: 'ACME-1', name: 'Acme Corp', owner: CSM, metrics: HEALTHY }]);
    await recomputeAt(t.db, now);
  });
  afterAll(async () => {
    await t.close();
  });

  it('is acknowledged and not processed again; a new request is served', async () => {
    const fields = { text: 'sentiment acme corp 2 budget freeze announced', user_id: CSM, response_url: t.fake.responseUrl('once') };
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await sendSlashCommand(t.eventsUrl, fields, { timestamp });
    const replay = await sendSlashCommand(t.eventsUrl, fields, { timestamp });
    expect([first.status, replay.status]).toEqual([200, 200]);
    await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'once'));
    // The replay's effect would have arrived by now: the first one's answer came after its own work.
    await new Promise((r) => setTimeout(r, 500));
    expect(t.fake.responses.filter((r) => r.id === 'once')).toHaveLength(1);
    expect(await t.db.prisma.scoreRun.count({ where: { trigger: 'sentiment' } })).toBe(1);
    expect(t.logLines.some((l) => l.includes('repeated Slack request acknowledged, not processed again'))).toBe(true);

    // The same command sent again later is a new request with a new signature.
    const again = await sendSlashCommand(t.eventsUrl, { ...fields, response_url: t.fake.responseUrl('again') }, { timestamp: timestamp + 1 });
    expect(again.status).toBe(200);
    await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'again'));
    expect(await t.db.prisma.scoreRun.count({ where: { trigger: 'sentiment' } })).toBe(2);
  });
});

describe('a repeated Slack request reaching two replicas (postgres)', () => {
  let a: TestServer;
  let b: TestServer;
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    a = await startTestServer('postgres', { db, clock: () => now });
    b = await startTestServer('postgres', { db, clock: () => now });
    await seedAccounts(db, now, [{ externalId: 'ACME-1', name: 'Acme Corp', owner: CSM, metrics: HEALTHY }]);
    await recomputeAt(db, now);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await db.close();
  });

  it('is processed by one of them only', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    // One request, byte for byte: the same body (answers go to one response_url) and signature.
    const fields = { text: 'sentiment acme corp 2 budget freeze announced', user_id: CSM, response_url: a.fake.responseUrl('twice') };
    const answers = await Promise.all([sendSlashCommand(a.eventsUrl, fields, { timestamp }), sendSlashCommand(b.eventsUrl, fields, { timestamp })]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const served = () => a.fake.responses.filter((r) => r.id === 'twice');
    await a.fake.waitFor(() => served()[0]);
    await new Promise((r) => setTimeout(r, 500));
    expect(served()).toHaveLength(1);
    expect(await a.db.prisma.scoreRun.count({ where: { trigger: 'sentiment' } })).toBe(1);
  });
});
