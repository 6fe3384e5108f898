// Bad input through the real ingestion API: every call refused as a whole
// (auth, content type, JSON, shape, size) changes nothing and says why; a
// batch with wrongly typed items keeps exactly the good ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api-tokens/api-tokens.js';
import { HEALTHY, seedAccounts } from '../support/seed.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('ingestion API bad input (pglite)', () => {
  let t: TestServer;
  let token: string;
  let ids: Map<string, number>;
  const call = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${t.server.url}/api/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });
  const tables = async () => ({
    accounts: await t.db.prisma.account.findMany({ orderBy: { id: 'asc' } }),
    observations: await t.db.prisma.metricObservation.findMany({ orderBy: { id: 'asc' } }),
  });
  const item = { account: 'API-1', metric: 'nps', value: 10, observed_at: '2026-10-01T00:00:00Z' };

  beforeAll(async () => {
    t = await startTestServer('pglite');
    ids = await seedAccounts(t.db, new Date('2026-11-01T00:00:00Z'), [{ externalId: 'API-1', name: 'Api One', domain: 'api.example', metrics: HEALTHY }]);
    token = (await createApiToken(t.db.prisma, 'bad-input')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each<[string, string, () => string | Buffer, Record<string, string>, number, RegExp]>([
    ['no Authorization header', 'metrics', () => JSON.stringify([item]), { authorization: '' }, 401, /a valid API token is required/],
    ['a Basic credential', 'metrics', () => JSON.stringify([item]), { authorization: `Basic ${Buffer.from('ingest:password').toString('base64')}` }, 401, /a valid API token is required/],
    ['an empty Bearer', 'accounts', () => '[]', { authorization: 'Bearer ' }, 401, /a valid API token is required/],
    ['a 10 kB Bearer', 'metrics', () => JSON.stringify([item]), { authorization: `Bearer ahk_${'a'.repeat(10_000)}` }, 401, /a valid API token is required/],
    ['CSV sent as text/csv', 'metrics', () => 'account,metric,value,observed_at\nAPI-1,nps,1,2026-01-01', { 'content-type': 'text/csv' }, 415, /Content-Type: application\/json/],
    ['a form body', 'accounts', () => 'external_id=X&name=Y', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /Content-Type: application\/json/],
    ['JSON with no content type', 'metrics', () => Buffer.from(JSON.stringify([item])), { 'content-type': '' }, 415, /Content-Type: application\/json/],
    ['broken JSON', 'metrics', () => '[{"account": "API-1", ', {}, 400, /^the body is not valid JSON$/],
    ['a single object', 'metrics', () => JSON.stringify(item), {}, 400, /^expected a JSON array of metric observations/],
    ['a bare number', 'accounts', () => '42', {}, 400, /^expected a JSON array of accounts$/],
    ['null', 'metrics', () => 'null', {}, 400, /^expected a JSON array/],
    ['a string', 'metrics', () => '"API-1,nps,1"', {}, 400, /^expected a JSON array/],
    ['10,001 items', 'metrics', () => JSON.stringify(Array.from({ length: 10_001 }, () => item)), {}, 413, /^at most 10000 items per call \(got 10001\)$/],
    ['a 5 MB body', 'accounts', () => JSON.stringify([{ external_id: 'BIG', name: 'x'.repeat(5_000_000) }]), {}, 413, /larger than 4mb/],
  ])('refuses %s as a whole, changing nothing', async (_name, path, body, headers, status, message) => {
    const before = await tables();
    const res = await call(path, body(), headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
    expect(await tables()).toEqual(before);
  });

  it('keeps exactly the good items of a batch with wrongly typed ones, and says which field is wrong in each', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 9, 2, 0, minute)).toISOString();
    const good = [
      { account: 'API-1', metric: 'nps', value: 30, observed_at: at(1) },
      { account: 'api.example', metric: 'csat', value: '88.5', observed_at: at(2) },
      { account: 'Api One', metric: 'logins_30d', value: 1_200, observed_at: at(3) },
      { account: 'API-1', metric: 'orders_30d', value: '1,200', observed_at: at(4) },
    ];
    const bad: [unknown, RegExp][] = [
      [{ ...good[0], value: true }, /value must be a number/],
      [{ ...good[0], value: { n: 1 } }, /value must be a number/],
      [{ ...good[0], value: [1] }, /value must be a number/],
      [{ ...good[0], value: null }, /value/],
      [{ ...good[0], value: 'NaN' }, /value "NaN" is not a number/],
      [{ ...good[0], value: '12k' }, /12000 rather than 12k/],
      [{ ...good[0], observed_at: 1_767_225_600_000 }, /observed_at must be an ISO 8601/],
      [{ ...good[0], observed_at: '2026-10-02T09:00:00' }, /no time zone/],
      [{ ...good[0], observed_at: '2026-13-01' }, /no month 13/],
      [{ ...good[0], account: { id: 1 } }, /account must be text/],
      [{ ...good[0], account: 'API-404' }, /unknown account "API-404"/],
      [{ ...good[0], metric: 42 }, /metric/],
      [{ ...good[0], metric: 'made_up_metric' }, /unknown metric "made_up_metric"/],
      [{ account: 'API-1', metric: 'nps', value: 1 }, /observed_at/],
      [{ ...good[0], observedAt: at(9) }, /unknown field "observedAt" \(did you mean "observed_at"\?\)/],
      [[good[0]], /expected an object/],
      ['API-1,nps,1,2026-01-01', /expected an object/],
      [null, /expected an object/],
    ];
    const body: unknown[] = [];
    const badIndexes: number[] = [];
    // Interleave: bad items around and between the good ones.
    for (const [i, [value]] of bad.entries()) {
      if (i % 4 === 1 && good[(i - 1) / 4]) body.push(good[(i - 1) / 4]);
      badIndexes.push(body.length);
      body.push(value);
    }
    const before = await t.db.prisma.metricObservation.count();
    const res = await call('metrics', JSON.stringify(body));
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { loaded: number; rejected: number; errors: { index: number; error: string }[] };
    expect(answer).toMatchObject({ loaded: good.length, rejected: bad.length });
    expect(answer.errors.map((e) => e.index)).toEqual(badIndexes);
    for (const [i, [, pattern]] of bad.entries()) expect(answer.errors[i]?.error).toMatch(pattern);

    const stored = await t.db.prisma.metricObservation.findMany({ where: { source: 'api' }, orderBy: { observedAt: 'asc' } });
    expect(await t.db.prisma.metricObservation.count()).toBe(before + good.length);
    expect(stored.map((s) => [s.accountId, s.metricKey, s.value, s.observedAt.toISOString()])).toEqual([
      [ids.get('API-1'), 'nps', 30, at(1)],
      [ids.get('API-1'), 'csat', 88.5, at(2)],
      [ids.get('API-1'), 'logins_30d', 1_200, at(3)],
      [ids.get('API-1'), 'orders_30d', 1_200, at(4)],
    ]);
  });

  it('keeps accounts with good fields and refuses wrongly typed ones by index', async () => {
    const res = await call('accounts', JSON.stringify([
      { external_id: 'OK-1', name: 'Fine Account', arr: 1000, renewal_date: '2027-01-31' },
      { external_id: 'BAD-1', name: 'Bad Arr', arr: -5 },
      { external_id: 'BAD-2', name: 'Bad Date', renewal_date: '31/01/2027' },
      { external_id: 'BAD-3', name: ['not', 'text'] },
      { external_id: 'BAD-4', name: 'Bad Channel', slack_channel_id: '#general' },
      { name: 'No Id' },
      { external_id: 12345, name: 'Numeric Id' },
    ]));
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { loaded: number; errors: { index: number; error: string }[] };
    expect(answer.loaded).toBe(2);
    expect(answer.errors.map((e) => e.index)).toEqual([1, 2, 3, 4, 5]);
    const stored = await t.db.prisma.account.findMany({ where: { externalId: { in: ['OK-1', '12345', 'BAD-1', 'BAD-2', 'BAD-3', 'BAD-4'] } }, orderBy: { externalId: 'asc' } });
    expect(stored.map((a) => a.externalId)).toEqual(['12345', 'OK-1']);
  });
});
