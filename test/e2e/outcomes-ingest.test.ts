// Renewal outcomes arrive by `import outcomes FILE.csv` (the command line's
// dispatcher, run in this process) and by POST /api/v1/outcomes, on both databases: bad rows are
// refused by line or index, the rest kept; re-sending replaces.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api-tokens/api-tokens.js';
import type { Database } from '../../src/db/database.js';
import { prepareCliDatabase } from '../support/cli-database.js';
import { DATABASE_KINDS, type DatabaseKind } from '../support/databases.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ACCOUNTS = [
  { externalId: 'ACME', name: 'Acme Corp', nameKey: 'acme corp', domain: 'acme.com' },
  { externalId: 'BETA', name: 'Beta Works', nameKey: 'beta works' },
];

describe.each(DATABASE_KINDS)('import outcomes (%s)', (kind: DatabaseKind) => {
  let env: Record<string, string>;
  let dir: string;
  let open: () => Promise<Database>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-outcomes-'));
    ({ env, open } = await prepareCliDatabase(kind, dir));
    const db = await open();
    try {
      await db.prisma.account.createMany({ data: ACCOUNTS });
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the good rows, refuses each bad one by line, and replaces a re-sent (account, renewal_date)', async () => {
    const file = path.join(dir, 'outcomes.csv');
    await writeFile(file, [
      'account,renewal_date,outcome,arr',
      'ACME,2025-03-31,renewed,120000',
      'acme.com,2026-03-31,Churned,',
      'NOBODY,2026-03-31,renewed,1',
      'BETA,31/03/2026,renewed,1',
      'BETA,2026-03-31,lost,1',
      'BETA,2026-02-30,renewed,1',
      'Beta Works,2026-06-30,renewed,50000',
      '',
    ].join('\n'));
    const first = await runCliInProcess(['import', 'outcomes', file], env);
    expect(first.code).toBe(1);
    expect(first.output).toContain('outcomes: 7 rows read, 3 loaded (3 new, 0 updated), 4 rejected.');
    expect(first.output).toContain('line 4: unknown account "NOBODY"');
    expect(first.output).toContain('line 5: renewal_date "31/03/2026" is not a valid date (use YYYY-MM-DD)');
    expect(first.output).toContain('line 6: outcome "lost" must be "renewed" or "churned"');
    expect(first.output).toContain('line 7: renewal_date "2026-02-30" is not a valid date (February 2026 has 28 days)');

    await writeFile(file, 'account,renewal_date,outcome\nACME,2025-03-31,churned\n');
    const again = await runCliInProcess(['import', 'outcomes', file], env);
    expect(again.code).toBe(0);
    expect(again.output).toContain('1 loaded (0 new, 1 updated), 0 rejected');

    const db = await open();
    try {
      const rows = await db.prisma.renewalOutcome.findMany({ orderBy: [{ accountId: 'asc' }, { renewalDate: 'asc' }], include: { account: true } });
      expect(rows.map((r) => [r.account.externalId, r.renewalDate.toISOString().slice(0, 10), r.outcome, r.arr, r.source])).toEqual([
        ['ACME', '2025-03-31', 'churned', null, 'csv'],
        ['ACME', '2026-03-31', 'churned', null, 'csv'],
        ['BETA', '2026-06-30', 'renewed', 50000, 'csv'],
      ]);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('refuses a file whose header is not the outcomes header', async () => {
    const file = path.join(dir, 'wrong.csv');
    await writeFile(file, 'account,metric,value,observed_at\nACME,nps,3,2026-01-01\n');
    const result = await runCliInProcess(['import', 'outcomes', file], env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/bad header: unknown columns "metric", "value", "observed_at"; missing required columns "renewal_date", "outcome"/);
  }, 60_000);
});

describe.each(DATABASE_KINDS)('POST /api/v1/outcomes (%s)', (kind) => {
  let t: TestServer;
  let token: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.server.url}/api/v1/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await startTestServer(kind);
    token = (await createApiToken(t.db.prisma, 'crm')).token;
    await t.db.prisma.account.createMany({ data: ACCOUNTS });
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs a token', async () => {
    expect((await post([], { authorization: '' })).status).toBe(401);
  });

  it('loads good items, answers 400 naming each bad one, and replaces a re-sent outcome', async () => {
    const response = await post([
      { account: 'ACME', renewal_date: '2026-03-31', outcome: 'renewed', arr: 120000 },
      { account: 'BETA', renewal_date: '2026-13-01', outcome: 'renewed' },
      { account: 'GHOST', renewal_date: '2026-03-31', outcome: 'churned' },
      { account: 'BETA', renewal_date: '2026-03-31', outcome: 'maybe' },
      { account: 'BETA', renewal_date: '2026-03-31', outcome: 'churned', reason: 'price' },
      { account: 'BETA', renewal_date: '2025-03-31', outcome: 'renewed' },
    ]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { loaded: number; errors: { index: number; error: string }[] };
    expect(body.loaded).toBe(2);
    expect(body.errors).toEqual([
      { index: 1, error: 'renewal_date "2026-13-01" is not a valid date (there is no month 13)' },
      { index: 2, error: expect.stringMatching(/^unknown account "GHOST"/) as unknown as string },
      { index: 3, error: 'outcome "maybe" must be "renewed" or "churned"' },
      { index: 4, error: 'unknown field "reason"' },
    ]);
    const replaced = await post([{ account: 'acme.com', renewal_date: '2026-03-31', outcome: 'churned' }]);
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ loaded: 1, inserted: 0, updated: 1, rejected: 0 });
    const stored = await t.db.prisma.renewalOutcome.findMany({ orderBy: { id: 'asc' } });
    expect(stored.map((r) => [r.outcome, r.arr, r.source])).toEqual([['churned', null, 'api'], ['renewed', null, 'api']]);
  });
});
