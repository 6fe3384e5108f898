// Raw events older than EVENT_RETENTION_DAYS go; newer ones and derived observations stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.js';
import { createEventSource } from '../../../src/events/event-sources.js';
import { ingestSegmentMessages } from '../../../src/events/ingest-messages.js';
import { pruneEvents } from '../../../src/events/prune-events.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(DATABASE_KINDS)('event retention (%s)', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('deletes events dated before the retention window, keeping the rest', async () => {
    const source = await createEventSource(db.prisma, { name: 'web' });
    const at = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
    await ingestSegmentMessages({ prisma: db.prisma }, source, [401, 400.5, 399, 1].map((days, i) => ({ type: 'track', event: 'Signed In', userId: 'u', messageId: `m${i}`, timestamp: at(days) })), NOW);
    expect(await pruneEvents(db.prisma, NOW, 400)).toBe(2);
    expect((await db.prisma.event.findMany({ orderBy: { timestamp: 'asc' } })).map((e) => e.messageId)).toEqual(['m2', 'm3']);
    expect(await pruneEvents(db.prisma, NOW, 400)).toBe(0);
  });
});
