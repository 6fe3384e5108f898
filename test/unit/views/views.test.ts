// Pure Slack views: Slack's limits hold whatever the data, and the facts a
// person needs are on screen.
import { describe, expect, it } from 'vitest';
import type { HealthReport, ReportComponent } from '../../../src/reports/build-health-report.js';
import type { PortfolioEntry } from '../../../src/reports/list-portfolio.js';
import { ACTION_IDS, MESSAGE_BLOCK_IDS } from '../../../src/slack/ids.js';
import { alertMessage } from '../../../src/slack/views/alert-message.js';
import { MAX_SECTION_TEXT } from '../../../src/slack/views/block-limits.js';
import { chooserMessage, healthBreakdownMessage, noMatchMessage, portfolioMessage } from '../../../src/slack/views/health-views.js';
import { homeView } from '../../../src/slack/views/home-view.js';

const component = (metricKey: string, pointsLost: number, points: number | null = 10): ReportComponent => ({
  metricKey, label: metricKey.replace(/_/g, ' '), unit: 'orders', weight: 10, good: 20, poor: 4, value: points === null ? null : 5, observedAt: '2026-11-01T00:00:00.000Z', stale: false, points, pointsLost,
});

function report(patch: Partial<HealthReport> = {}): HealthReport {
  return {
    account: { id: 7, externalId: 'ACME-1', name: 'Acme <Corp> & Co', domain: 'acme.com', segment: 'smb', ownerSlackUserId: 'U0OWNER001', slackChannelId: null, arr: null, renewalDate: null, churnedOn: null },
    snapshot: { asOf: new Date('2026-11-20T10:00:00Z'), score: 41.6, band: 'at_risk', completeness: 0.92, modelName: 'SMB', modelVersion: 3 },
    trend: { change7d: -6.2, change30d: -18, sparkline: '▇▇▆▅▅▄▃▃▂▂▂▁' },
    components: [component('orders_30d', 17.3), component('logins_30d', 12), component('nps', 0, null)],
    newestObservation: new Date('2026-11-19T00:00:00Z'),
    openAlert: { id: 12, state: 'open', claimedBy: null, claimedAt: null, createdAt: new Date('2026-11-18T00:00:00Z') },
    sentiment: { value: 2, note: 'budget freeze', author: 'U0CSM00001', observedAt: new Date('2026-11-10T00:00:00Z'), expired: false },
    daysToRenewal: 40,
    actions: [{ id: 'reorder-check-in', title: 'Reorder check-in', why: 'orders are 5', priority: 4 }],
    ...patch,
  };
}

const text = (blocks: unknown) => JSON.stringify(blocks);

describe('healthBreakdownMessage', () => {
  it('shows score, band, trend, the costliest measures, freshness, sentiment, follow-up, actions and buttons', () => {
    const message = healthBreakdownMessage(report());
    expect(message.text).toBe('Acme <Corp> & Co: 41/100 (At risk)');
    const all = text(message.blocks);
    expect(all).toContain(':large_orange_circle: *41/100* — At risk');
    expect(all).toContain('↓ -6 in 7d · ↓ -18 in 30d');
    expect(all).toContain('▇▇▆▅▅▄▃▃▂▂▂▁');
    expect(all).toContain('*orders 30d*: 5 orders (poor 4, good 20, weight 10) — *−17.3 pts*');
    expect(all).toContain('Data 92% complete · newest 2026-11-19');
    expect(all).toContain('Not scored: nps (no data)');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Acme <Corp> & Co · 41/100', emoji: true } });
    expect(all).toContain('“budget freeze” — <@U0CSM00001>');
    expect(all).toContain('Open alert, not claimed yet');
    expect(all).toContain(ACTION_IDS.shareInChannel);
    expect(all).toContain(ACTION_IDS.claimFromHealth);
  });

  it('drops the buttons when shared, and the claim button once claimed', () => {
    expect(text(healthBreakdownMessage(report(), { shared: true }).blocks)).not.toContain(ACTION_IDS.shareInChannel);
    const claimed = healthBreakdownMessage(report({ openAlert: { id: 12, state: 'claimed', claimedBy: 'U0ALICE001', claimedAt: new Date('2026-11-19T00:00:00Z'), createdAt: new Date() } }));
    expect(text(claimed.blocks)).toContain('claimed by <@U0ALICE001> on 2026-11-19');
    expect(text(claimed.blocks)).not.toContain(ACTION_IDS.claimFromHealth);
  });

  it('keeps the button row\'s block id when the reply is replaced by its version with the chart', () => {
    // A click on the version just replaced names that block: it must still be on the new one.
    const buttonRow = (m: { blocks: unknown[] }) => m.blocks.find((b) => (b as { type: string }).type === 'actions') as { block_id?: string } | undefined;
    const first = buttonRow(healthBreakdownMessage(report(), { chart: null }));
    const withChart = buttonRow(healthBreakdownMessage(report(), { chart: { fileId: 'F0CHART001', altText: 'score, last 90 days' } }));
    expect(first?.block_id).toBe(MESSAGE_BLOCK_IDS.healthActions);
    expect(withChart?.block_id).toBe(first?.block_id);
  });

  it('keeps within Slack limits with huge inputs, truncating lists with "and N more"', () => {
    const many = Array.from({ length: 60 }, (_, i) => component(`metric_${i}_${'x'.repeat(200)}`, 60 - i));
    const message = healthBreakdownMessage(report({ components: many, actions: Array.from({ length: 40 }, (_, i) => ({ id: `a${i}`, title: 'T'.repeat(300), why: 'W'.repeat(300), priority: i })) }));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    }
    expect(text(message.blocks)).toContain('…and 55 more');
  });

  it('says when an account has not been scored yet', () => {
    expect(healthBreakdownMessage(report({ snapshot: null })).text).toBe('Acme <Corp> & Co: not scored yet');
  });
});

describe('lookup and portfolio messages', () => {
  const ref = (i: number) => ({ id: i, externalId: `A-${i}`, name: `Acme ${i}`, domain: null });
  it('offers at most 10 choices with unique action ids and says how many more', () => {
    const message = chooserMessage('acme', Array.from({ length: 10 }, (_, i) => ref(i)), 14);
    const actions = message.blocks.find((b) => b.type === 'actions');
    const ids = actions && actions.type === 'actions' ? actions.elements.map((e) => ('action_id' in e ? e.action_id : '')) : [];
    expect(new Set(ids).size).toBe(10);
    expect(text(message.blocks)).toContain('…and 4 more');
  });

  it('suggests near matches when nothing matches', () => {
    expect(text(noMatchMessage('acmee', [ref(1)]).blocks)).toContain('Did you mean *Acme 1* (`A-1`)?');
  });

  it('keeps every near match whole when their names are 200 characters of ampersands', () => {
    const near = Array.from({ length: 5 }, (_, i) => ({ id: i, externalId: `NEAR-${i}`, name: '&'.repeat(200), domain: null }));
    const [block] = noMatchMessage('x'.repeat(200), near).blocks;
    const body = block?.type === 'section' ? block.text?.text ?? '' : '';
    expect(body.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    for (let i = 0; i < 5; i += 1) expect(body).toContain(`(\`NEAR-${i}\`)`);
  });

  it('caps portfolio lists at 25 with the rest counted', () => {
    const entries: PortfolioEntry[] = Array.from({ length: 25 }, (_, i) => entry(i, `N${i}`));
    const message = portfolioMessage('At risk', entries, 140, 'none');
    expect(text(message.blocks)).toContain('…and 115 more');
  });
});

const entry = (i: number, name: string, claimedBy: string | null = null): PortfolioEntry => ({
  accountId: i, name, externalId: `EXT-${i}`, ownerSlackUserId: null, score: i, band: 'critical', asOf: new Date(), openAlertId: claimedBy ? 1000 + i : null, claimedBy,
});
const sectionTexts = (blocks: readonly { type: string }[]) => blocks.flatMap((b) => (b.type === 'section' && 'text' in b && b.text && typeof b.text === 'object' && 'text' in b.text ? [String(b.text.text)] : []));

describe('long lists (200-character names)', () => {
  const longName = (i: number) => `${'Very Long Holding & Partners '.repeat(7)}${i}`.slice(0, 200);
  const entries = Array.from({ length: 25 }, (_, i) => entry(i, longName(i), `U0CLAIM${String(i).padStart(3, '0')}`));

  it('splits /health at-risk across sections without cutting a line, a mention or a name mid-entity', () => {
    const message = portfolioMessage('At-risk accounts (40)', entries, 40, 'none');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const sections = sectionTexts(message.blocks).slice(1);
    expect(sections.length).toBeGreaterThan(1);
    const lines = sections.flatMap((s) => s.split('\n'));
    for (const s of sections) expect(s.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    // Every entry whole: shortened name, its id in a code span, and the full claimer mention.
    expect(lines).toHaveLength(25);
    lines.forEach((line, i) => {
      expect(line).toMatch(new RegExp(`\`EXT-${i}\` · :eyes: <@U0CLAIM${String(i).padStart(3, '0')}>$`));
      expect(line).toContain('Very Long Holding &amp; Partners');
      expect(line).toContain('…');
      expect(line).not.toMatch(/&(?!amp;|lt;|gt;)/);
    });
    expect(text(message.blocks)).toContain('…and 15 more');
  });

  it('counts "and N more" from what is shown when the sections run out', () => {
    const huge = Array.from({ length: 25 }, (_, i) => entry(i, '&'.repeat(200)));
    const message = portfolioMessage('Mine', huge, 25, 'none');
    const shown = sectionTexts(message.blocks).slice(1).flatMap((s) => s.split('\n')).length;
    for (const s of sectionTexts(message.blocks)) expect(s.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(shown).toBeGreaterThan(0);
    if (shown < 25) expect(text(message.blocks)).toContain(`…and ${25 - shown} more`);
    else expect(text(message.blocks)).not.toContain('more');
  });

  it('keeps App Home within 100 blocks and 3,000 characters a section, counting follow-ups from the true total', () => {
    const followUps = Array.from({ length: 20 }, (_, i) => ({ alertId: i, accountName: longName(i), externalId: `EXT-${i}`, state: 'open', claimedBy: `U0CLAIM${String(i).padStart(3, '0')}`, openedAt: new Date('2026-11-01T00:00:00Z') }));
    const view = homeView({ userId: 'U1', mine: { entries: [...entries, ...entries.slice(0, 5)], total: 140 }, atRisk: { entries: entries.slice(0, 20), total: 30 }, followUps: { entries: followUps, total: 27 } });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    for (const s of sectionTexts(view.blocks)) expect(s.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    const all = text(view.blocks);
    expect(all).toContain('*Your accounts* (140)');
    expect(all).toContain('…and 110 more');
    expect(all).toContain('*At risk across the portfolio* (30)');
    expect(all).toContain('…and 10 more');
    expect(all).toContain('*Your open follow-ups* (27)');
    expect(all).toContain('…and 7 more');
    for (let i = 0; i < 20; i += 1) expect(all).toContain(`alert #${i}, claimed by <@U0CLAIM${String(i).padStart(3, '0')}>`);
  });
});

describe('alertMessage', () => {
  const base = {
    alertId: 5, accountName: 'Acme', externalId: 'A', ownerSlackUserId: 'U0OWNER001', state: 'open', band: 'at_risk' as const, score: 48,
    triggers: [{ rule: 'band_worsened' as const, from: 'watch' as const, to: 'at_risk' as const }],
    reason: { baseline: { asOf: '2026-10-01T00:00:00.000Z', score: 68, band: 'watch' }, changes: [{ metricKey: 'orders_30d', pointsLost: 12.5, valueBefore: 18, valueAfter: 4 }] },
    actions: [], metricLabel: () => ({ label: 'Orders (30 days)', unit: 'orders' }), claimedBy: null, claimedAt: null, resolvedBy: null, resolvedAt: null,
  };
  it('says why it moved with values before and after, and offers Claim and Resolve', () => {
    const message = alertMessage(base);
    expect(message.text).toBe('⚠️ Acme: health fell — 48/100 (At risk)');
    const all = text(message.blocks);
    expect(all).toContain('Band fell from watch to at risk');
    expect(all).toContain('*Why it moved* since 2026-10-01 (68/100, watch)');
    expect(all).toContain('*Orders (30 days)*: 18 orders → 4 orders — *−12.5 pts*');
    expect(all).toContain('react :eyes:');
    expect(all).toContain(ACTION_IDS.claimAlert);
    expect(all).toContain(ACTION_IDS.resolveAlert);
  });
  it('keeps the button row\'s block id across updates in place, so a click on the previous version still lands', () => {
    const row = (m: { blocks: unknown[] }) => m.blocks.find((b) => (b as { type: string }).type === 'actions') as { block_id?: string } | undefined;
    expect(row(alertMessage(base))?.block_id).toBe(MESSAGE_BLOCK_IDS.alertActions);
    expect(row(alertMessage({ ...base, score: 31, band: 'critical' }))?.block_id).toBe(MESSAGE_BLOCK_IDS.alertActions);
  });
  it('shows the owner once claimed, and drops the buttons once resolved', () => {
    expect(text(alertMessage({ ...base, state: 'claimed', claimedBy: 'U0ALICE001', claimedAt: new Date() }).blocks)).not.toContain(ACTION_IDS.claimAlert);
    const resolved = alertMessage({ ...base, state: 'resolved', resolvedBy: 'U0ALICE001', resolvedAt: new Date() });
    expect(resolved.text).toMatch(/^✅ Acme: health alert closed/);
    expect(text(resolved.blocks)).not.toContain(ACTION_IDS.resolveAlert);
  });
});
