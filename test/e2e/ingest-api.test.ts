// The ingestion API through the real server: tokens, content type, limits,
// per-item errors with the good items kept, and tokens never logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/api-tokens/api-tokens.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DATABASE_KINDS)('ingestion API (%s)', (kind) => {
  let t: TestServer;
  let token: string;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.server.url}/api/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });

  beforeAll(async () => {
    t = await startTestServer(kind);
    token = (await createApiToken(t.db.prisma, 'warehouse-sync')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses requests without a valid token with 401', async () => {
    expect((await post('accounts', '[]', { authorization: '' })).status).toBe(401);
    const wrong = await post('accounts', '[]', { authorization: 'Bearer ahk_not-a-real-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    const stored = await t.db.prisma.apiToken.findFirstOrThrow();
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads accounts and metrics, and answers 400 with per-item errors while keeping the good items', async () => {
    const accounts = await post('accounts', JSON.stringify([
      { external_id: 'X-1', name: 'Xylo Ltd', domain: 'xylo.com', segment: 'smb', arr: 12000 },
      { external_id: 'X-2', name: 'Yak Inc', renewal_date: '2027-02-01' },
    ]));
    expect(accounts.status).toBe(200);
    expect(await accounts.json()).toEqual({ loaded: 2, inserted: 2, updated: 0, rejected: 0 });

    const metrics = await post('metrics', JSON.stringify([
      { account: 'X-1', metric: 'logins_30d', value: 42, observed_at: '2026-11-01T00:00:00Z' },
      { account: 'xylo.com', metric: 'nps', value: '30', observed_at: '2026-11-01' },
      { account: 'X-1', metric: 'nps', value: true, observed_at: '2026-11-01' },
      { account: 'X-9', metric: 'nps', value: 1, observed_at: '2026-11-01' },
      { account: 'X-1', metric: 'csat', value: 1, observed_at: '2026-11-01', colour: 'red' },
      'not an object',
    ]));
    expect(metrics.status).toBe(400);
    const body = (await metrics.json()) as { loaded: number; errors: { index: number; error: string }[] };
    expect(body.loaded).toBe(2);
    expect(body.errors.map((e) => e.index)).toEqual([2, 3, 4, 5]);
    expect(body.errors[1]?.error).toMatch(/^unknown account "X-9"/);
    expect(body.errors[2]?.error).toBe('unknown field "colour"');
    expect(await t.db.prisma.metricObservation.count()).toBe(2);
  });

  it('updates only the fields an item sends: a left-out field keeps its value, null clears it', async () => {
    const partial = await post('accounts', JSON.stringify([{ external_id: 'X-1', name: 'Xylo Limited' }]));
    expect(await partial.json()).toEqual({ loaded: 1, inserted: 0, updated: 1, rejected: 0 });
    expect(await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'X-1' } })).toMatchObject({ name: 'Xylo Limited', domain: 'xylo.com', segment: 'smb', arr: 12000 });
    // Items of one call may send different fields; each is written as sent.
    const mixed = await post('accounts', JSON.stringify([{ external_id: 'X-1', name: 'Xylo Limited', domain: null }, { external_id: 'X-2', name: 'Yak Inc', arr: 900 }]));
    expect(mixed.status).toBe(200);
    expect(await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'X-1' } })).toMatchObject({ domain: null, segment: 'smb', arr: 12000 });
    expect(await t.db.prisma.account.findUniqueOrThrow({ where: { externalId: 'X-2' } })).toMatchObject({ arr: 900, renewalDate: new Date('2027-02-01T00:00:00Z') });
  });

  it('rejects impossible metric values by item index and reason, and reports repeated items as superseded', async () => {
    const res = await post('metrics', JSON.stringify([
      { account: 'x-1', metric: 'csm_sentiment', value: 99, observed_at: '2026-11-02' },
      { account: 'X-1', metric: 'feature_adoption_pct', value: -40, observed_at: '2026-11-02' },
      { account: 'X-1', metric: 'csat', value: 80, observed_at: '2026-11-02' },
      { account: 'x-1', metric: 'csat', value: 85, observed_at: '2026-11-02T00:00:00Z' },
    ]));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      loaded: 1,
      rejected: 2,
      superseded: 1,
      errors: [
        { index: 0, error: 'value 99 is out of range for csm_sentiment (expected 1 to 5)' },
        { index: 1, error: 'value -40 is out of range for feature_adoption_pct (expected 0 to 100)' },
      ],
      supersededItems: [{ index: 2, by: 3 }],
    });
    expect((await t.db.prisma.metricObservation.findMany({ where: { metricKey: { in: ['csat', 'csm_sentiment', 'feature_adoption_pct'] } } })).map((o) => o.value)).toEqual([85]);
  });

  it('answers 415 to a body that is not JSON, 400 to broken JSON and to a non-array', async () => {
    expect((await post('metrics', 'account,metric', { 'content-type': 'text/csv' })).status).toBe(415);
    expect((await post('metrics', '[{"account":')).status).toBe(400);
    const notArray = await post('metrics', '{"account":"X-1"}');
    expect(notArray.status).toBe(400);
    expect(await notArray.json()).toEqual({ error: 'expected a JSON array of metric observations {account, metric, value, observed_at}' });
  });

  it('answers 413 to more than 10,000 items and to an oversize body, storing nothing', async () => {
    const before = await t.db.prisma.metricObservation.count();
    const item = { account: 'X-1', metric: 'logins_30d', value: 1, observed_at: '2026-01-01' };
    expect((await post('metrics', JSON.stringify(Array.from({ length: 10_001 }, () => item)))).status).toBe(413);
    expect((await post('metrics', JSON.stringify([{ ...item, pad: 'x'.repeat(5_000_000) }]))).status).toBe(413);
    expect(await t.db.prisma.metricObservation.count()).toBe(before);
  });

  it('refuses a revoked token and never writes tokens to the log', async () => {
    await revokeApiToken(t.db.prisma, 'warehouse-sync', new Date());
    expect((await post('accounts', '[]')).status).toBe(401);
    const log = t.logLines.join('\n');
    expect(log).toContain('warehouse-sync');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.slice(4));
  });
});
