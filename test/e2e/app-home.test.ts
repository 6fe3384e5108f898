// App Home end to end: the user's accounts, the team's at-risk list and the
// user's open follow-ups with their true count (more than fit on screen), with
// long names that never get cut mid-line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { DECLINING, HEALTHY, recomputeAt, seedAccounts } from '../support/seed.js';
import { sendEvent } from '../support/slack-requests.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const now = new Date('2026-11-20T10:00:00Z');
const CSM = 'U0CSM00042';
const OTHER = 'U0OTHER042';
const longName = (i: number) => `${'Northwind & Partners International Logistics '.repeat(5)}No. ${i}`.slice(-200);

interface Home {
  type: string;
  blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
}

describe.each(DATABASE_KINDS)('App Home (%s)', (kind) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer(kind, { clock: () => now });
    // 26 declining accounts the CSM owns, 4 more owned by someone else but claimed by the CSM, 2 healthy ones.
    const ids = await seedAccounts(t.db, now, [
      ...Array.from({ length: 26 }, (_, i) => ({ externalId: `OWN-${i}`, name: longName(i), owner: CSM, metrics: DECLINING })),
      ...Array.from({ length: 4 }, (_, i) => ({ externalId: `CLM-${i}`, name: `Claimed Co ${i}`, owner: OTHER, metrics: DECLINING })),
      { externalId: 'FINE-1', name: 'Fine One', owner: CSM, metrics: HEALTHY },
      { externalId: 'FINE-2', name: 'Fine Two', owner: OTHER, metrics: HEALTHY },
    ]);
    await recomputeAt(t.db, now);
    for (const [externalId, id] of ids) {
      if (externalId.startsWith('FINE')) continue;
      const claimed = externalId.startsWith('CLM') ? CSM : null;
      await t.db.prisma.alert.create({
        data: { accountId: id, openKey: id, state: claimed ? 'claimed' : 'open', claimedBy: claimed, claimedAt: claimed ? now : null, triggers: [], reason: { baseline: null, changes: [] }, band: 'at_risk', score: 51, createdAt: now },
      });
    }
    // A closed alert never counts.
    await t.db.prisma.alert.create({ data: { accountId: ids.get('FINE-1') ?? 0, openKey: null, state: 'resolved', triggers: [], reason: { baseline: null, changes: [] }, band: 'watch' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts every open follow-up (30, not the 25 it used to fetch), shows what fits and says how many more', async () => {
    const res = await sendEvent(t.eventsUrl, { type: 'app_home_opened', user: CSM, channel: 'D0HOME0042', tab: 'home', event_ts: '1.2' });
    expect(res.status).toBe(200);
    const publish = await t.fake.waitFor(() => t.fake.callsTo('views.publish').find((c) => c.args.user_id === CSM));
    const view = publish.args.view as Home;
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const json = JSON.stringify(view);
    expect(json).toContain('*Your open follow-ups* (30)');
    expect(json).toContain('*Your accounts* (27)');
    expect(json).toContain('*At risk across the portfolio* (30)');

    const sections = view.blocks.filter((b) => b.type === 'section').map((b) => b.text?.text ?? '');
    for (const s of sections) expect(s.length).toBeLessThanOrEqual(3_000);
    const followUpLines = sections.flatMap((s) => s.split('\n')).filter((l) => l.includes('— alert #'));
    const notes = view.blocks.filter((b) => b.type === 'context').map((b) => b.elements?.[0]?.text ?? '');
    const followUpsMore = notes.filter((n) => n.startsWith('…and')).at(-1);
    expect(followUpsMore).toBe(`…and ${30 - followUpLines.length} more`);
    for (const line of followUpLines) expect(line).toMatch(/^• \*.+\* `(OWN|CLM)-\d+` — alert #\d+, (unclaimed|claimed by <@U0CSM00042>), opened 2026-11-20$/);
    expect(followUpLines.filter((l) => l.includes('claimed by <@U0CSM00042>'))).toHaveLength(4);
  });

  it('shows another user only their own follow-ups', async () => {
    await sendEvent(t.eventsUrl, { type: 'app_home_opened', user: OTHER, channel: 'D0HOME0043', tab: 'home', event_ts: '1.3' });
    const publish = await t.fake.waitFor(() => t.fake.callsTo('views.publish').find((c) => c.args.user_id === OTHER));
    const json = JSON.stringify(publish.args.view);
    // OTHER owns the four claimed accounts: their alerts are OTHER's follow-ups too.
    expect(json).toContain('*Your open follow-ups* (4)');
    expect(json).toContain('*Your accounts* (5)');
  });
});
