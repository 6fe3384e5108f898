// Provider events that no account claimed when they arrived wait, and are
// attributed in the same transaction that brings the alias (or the domain):
// an accounts import or a HubSpot page. On both databases.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCompanies } from '../../../src/connectors/hubspot/apply-company.js';
import { externalIds } from '../../../src/connectors/payload.js';
import type { Alias } from '../../../src/accounts/aliases.js';
import type { Database } from '../../../src/db/database.js';
import { createEventSource } from '../../../src/events/event-sources.js';
import { ingestSegmentMessages } from '../../../src/events/ingest-messages.js';
import { importCsv } from '../../../src/ingest/import-csv.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(DATABASE_KINDS)('attributing waiting provider events (%s)', (kind) => {
  let db: Database;
  let sourceId: number;
  const track = (messageId: string, hints: Alias[]) => ({
    type: 'track', event: 'Invoice Overdue', messageId, anonymousId: `p:${messageId}`, timestamp: '2026-11-18T00:00:00Z',
    properties: { invoice_id: messageId }, context: { externalIds: externalIds(hints) },
  });
  const accountOf = async (messageId: string) => (await db.prisma.event.findFirstOrThrow({ where: { messageId }, select: { account: { select: { externalId: true } } } })).account?.externalId ?? null;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    sourceId = (await createEventSource(db.prisma, { name: 'billing', kind: 'stripe', secret: 'whsec_attribute_test' })).id;
  });
  afterAll(async () => {
    await db.close();
  });

  it('keeps events waiting, then attributes them by the first hint an import makes resolvable', async () => {
    const summary = await ingestSegmentMessages({ prisma: db.prisma }, { id: sourceId }, [
      track('m-1', [{ kind: 'stripe', value: 'cus_Late1' }, { kind: 'domain', value: 'eu.initech.example' }]),
      track('m-2', [{ kind: 'zendesk', value: '777' }]),
      track('m-3', [{ kind: 'stripe', value: 'cus_Nobody' }]),
    ], NOW);
    expect(summary).toMatchObject({ accepted: 3, waiting: 3 });
    expect(await accountOf('m-1')).toBeNull();

    // The domain alias of one account and the Stripe alias of another: the Stripe id comes first in m-1's hints.
    await importCsv(db.prisma, 'accounts', Readable.from(['external_id,name,aliases\nINITECH,Initech,domain:initech.example\nUMBRELLA,Umbrella,stripe:cus_Late1;zendesk:777\n']));
    expect([await accountOf('m-1'), await accountOf('m-2'), await accountOf('m-3')]).toEqual(['UMBRELLA', 'UMBRELLA', null]);
    const changed = await db.prisma.$queryRaw<{ external_id: string }[]>`SELECT a.external_id FROM event_accounts ea JOIN accounts a ON a.id = ea.account_id ORDER BY 1`;
    expect(changed.map((r) => r.external_id)).toContain('UMBRELLA');
  });

  it('attributes by domain when a HubSpot page brings the company, and never guesses between two', async () => {
    await ingestSegmentMessages({ prisma: db.prisma }, { id: sourceId }, [
      track('m-4', [{ kind: 'stripe', value: 'cus_Hooli' }, { kind: 'domain', value: 'billing.hooli.example' }]),
    ], NOW);
    expect(await accountOf('m-4')).toBeNull();
    await applyCompanies(db.prisma, [{ fields: { hubspotId: '5001', name: 'Hooli', domain: 'hooli.example', problems: [] }, ownerSlackUserId: undefined }]);
    expect(await accountOf('m-4')).toBe('hubspot-5001');

    await ingestSegmentMessages({ prisma: db.prisma }, { id: sourceId }, [track('m-5', [{ kind: 'domain', value: 'twin.example' }])], NOW);
    await importCsv(db.prisma, 'accounts', Readable.from(['external_id,name,domain\nTWIN-1,Twin One,twin.example\nTWIN-2,Twin Two,twin.example\n']));
    expect(await accountOf('m-5')).toBeNull();
  });
});
