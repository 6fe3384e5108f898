// Slack's acknowledgement never waits on the embedded database: the real Bolt
// app, on PGlite running on its own thread as `serve` opens it, answers a
// signed /health while one long statement keeps the database busy, and sends
// the full answer once the database is free. On the main thread (before) the
// acknowledgement waited for the statement to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteThreadFromDump } from '../../src/db/database.js';
import { migratedPgliteDump } from '../support/databases.js';
import { HEALTHY, recomputeAt, seedAccounts } from '../support/seed.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const now = new Date('2026-11-20T10:00:00Z');
const CSM = 'U0CSM00001';
/** Seconds of work for PGlite in one statement: far longer than an acknowledgement takes. */
const LONG_STATEMENT = 'SELECT count(*)::int AS n FROM generate_series(1, 8000000) AS s WHERE s % 7 = 3';

describe('/health while the embedded database is busy (pglite on its own thread)', () => {
  let t: TestServer;
  beforeAll(async () => {
    const db = await openPgliteThreadFromDump(await migratedPgliteDump());
    t = await startTestServer('pglite', { db, clock: () => now });
    await seedAccounts(t.db, now, [{ externalId: 'ACME-1', name: 'Acme Corp', owner: CSM, metrics: HEALTHY }]);
    await recomputeAt(t.db, now);
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it('is acknowledged before a long statement ends, and answered after it', async () => {
    let statementDone = false;
    const statement = t.db.prisma.$queryRawUnsafe(LONG_STATEMENT).then(() => {
      statementDone = true;
    });
    // Let the statement reach the database thread first.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const ack = await sendSlashCommand(t.eventsUrl, { text: 'acme', user_id: CSM, response_url: t.fake.responseUrl('busy') });
    expect(ack.status).toBe(200);
    expect(statementDone).toBe(false);

    await statement;
    const reply = await t.fake.waitFor(() => t.fake.responses.find((r) => r.id === 'busy'));
    expect(JSON.stringify(reply.body)).toContain('Acme Corp');
  });
});
