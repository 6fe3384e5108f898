// Event sources, `import events` and derived-metric definitions as a user types
// them (the command line's dispatcher, run in this process), on the embedded database.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/run-cli-in-process.js';

describe('events from the command line', () => {
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCliInProcess(args, env);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'account-health-events-'));
    env = { DATA_DIR: path.join(dir, 'data') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a write key once, a provider source with its secret (never printed), lists and revokes', async () => {
    const created = await cli('source', 'create', 'web-app');
    expect(created.code).toBe(0);
    const key = /whk_[\w-]+/.exec(created.output)?.[0] ?? '';
    expect(key.length).toBeGreaterThan(20);
    expect(created.output).toContain('it cannot be shown again');
    const shop = await cli('source', 'create', 'shop', '--kind', 'shopify', '--secret', 'shpss_topsecret42');
    expect(shop.code).toBe(0);
    expect(shop.output).toContain('/webhooks/shopify/shop');
    const badKind = await cli('source', 'create', 'crm', '--kind', 'salesforce', '--secret', 'abcdefgh1');
    expect(badKind.code).toBe(1);
    expect(badKind.output.trim()).toBe('unknown kind "salesforce": say segment, shopify, stripe, zendesk');
    const taken = await cli('source', 'create', 'WEB-APP');
    expect(taken.code).toBe(1);
    const list = await cli('source', 'list');
    expect(list.output).toMatch(/web-app +segment +whk_\S+… +0 events, 0 waiting for an account/);
    expect(list.output).toMatch(/shop +shopify +signing secret set/);
    expect(list.output).toContain('no message yet · last 24 h: 0 accepted, 0 refused, 0 waiting for an account');
    expect(list.output).not.toContain('shpss_topsecret42');
    expect(list.output).not.toContain(key);
    expect((await cli('source', 'revoke', 'shop')).code).toBe(0);
    expect((await cli('source', 'list')).output).toMatch(/shop .*REVOKED/);
  }, 240_000);

  it('imports NDJSON history with per-line errors, re-imports without duplicates, and previews a derived metric', async () => {
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString();
    const lines = [
      JSON.stringify({ type: 'group', userId: 'u1', groupId: 'ACME', traits: { name: 'Acme Corp' }, messageId: 'g1', timestamp: at(100) }),
      JSON.stringify({ type: 'track', userId: 'u1', event: 'Order Completed', properties: { order_id: 'A1', total: 10 }, messageId: 'o1', timestamp: at(2) }),
      '{"type": "track", "userId": "u1", "event": ',
      '',
      JSON.stringify({ type: 'track', userId: 'u1', event: 'Order Completed', properties: { order_id: 'A2', total: 10 }, messageId: 'o2', timestamp: at(3) }),
      JSON.stringify({ type: 'track', userId: 'u1', messageId: 'o3' }),
      JSON.stringify({ type: 'track', userId: 'u1', event: 'Order Cancelled', properties: { order_id: 'A2' }, messageId: 'o4', timestamp: at(1) }),
    ];
    const file = path.join(dir, 'history.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);
    const first = await cli('import', 'events', file);
    expect(first.code).toBe(1);
    expect(first.output).toContain('events: 7 lines read, 4 stored, 0 already stored, 2 refused (source "import").');
    expect(first.output).toContain('line 3: not valid JSON');
    expect(first.output).toContain('line 6: a track call needs "event" (the event name)');
    const again = await cli('import', 'events', file);
    expect(again.output).toContain('0 stored, 4 already stored, 2 refused');

    const show = await cli('metric', 'show', 'orders_30d');
    expect(show.code).toBe(0);
    expect(show.output).toContain('# orders_30d: built-in definition');
    expect(show.output).toContain('"unless": [');
    const preview = await cli('metric', 'preview', 'orders_30d', 'acme');
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(/orders_30d for Acme Corp \(ACME\): 1 {3}window/);
    expect(preview.output).toContain('Order Cancelled  {"order_id": "A2"}');

    // A definition that does not validate is refused field by field; a valid one replaces the built-in.
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ metric: 'orders_30d', events: [], aggregation: { type: 'median' }, windowDays: 0 }));
    const bad = await cli('metric', 'define', path.join(dir, 'bad.json'));
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('events: name at least one event');
    expect(bad.output).toContain('aggregation.type: type must be one of count, count_distinct, sum, avg, latest, days_since_last, ratio, pct_change, open_entities');
    expect(bad.output).toContain('windowDays: windowDays must be 1 or more');
    await writeFile(path.join(dir, 'orders.json'), JSON.stringify({ metric: 'orders_30d', events: ['Order Completed'], aggregation: { type: 'count_distinct', property: 'order_id' }, windowDays: 30 }));
    const defined = await cli('metric', 'define', path.join(dir, 'orders.json'));
    expect(defined.output.trim()).toBe('Defined orders_30d from events (replacing the built-in definition). The next recomputation derives it for every account.');
    expect((await cli('metric', 'preview', 'orders_30d', 'ACME')).output).toMatch(/orders_30d for Acme Corp \(ACME\): 2 /);
    const unknown = await cli('metric', 'preview', 'csm_sentiment', 'acme');
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('csm_sentiment has no definition');
  }, 300_000);
});
