// Group sub-scores as people see them: in the terminal (`score`), in the /health
// breakdown (with the chart image or its one-line stand-in), and in portfolio lines.
import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../src/reports/build-health-report.js';
import type { ReportGroup } from '../../../src/reports/group-history.js';
import { renderHealthText, renderPortfolioText } from '../../../src/reports/render-health-text.js';
import { healthBreakdownMessage } from '../../../src/slack/views/health-views.js';
import { portfolioLine } from '../../../src/slack/views/portfolio-lines.js';

const groups: ReportGroup[] = [
  { group: 'transactional', label: 'Transactional', score: 81.4, completeness: 1, weight: 3, measureCount: 3, band: 'healthy', change30d: -1.2 },
  { group: 'engagement', label: 'Engagement', score: 22.7, completeness: 0.5, weight: 4, measureCount: 2, band: 'critical', change30d: -41 },
  { group: 'lifecycle', label: 'Lifecycle', score: null, completeness: 0, weight: 1, measureCount: 1, band: 'insufficient_data', change30d: null },
];

const report: HealthReport = {
  account: { id: 7, externalId: 'A-7', name: 'Acme', domain: null, segment: null, ownerSlackUserId: null, slackChannelId: null, arr: null, renewalDate: null, churnedOn: null },
  snapshot: { asOf: new Date('2026-11-20T09:00:00Z'), score: 48.2, band: 'at_risk', completeness: 0.8, modelName: 'Default', modelVersion: 2 },
  trend: { change7d: -3, change30d: -33, sparkline: '▇▇▇▆▅▃' },
  components: [{ metricKey: 'logins_30d', label: 'Logins (30 days)', unit: 'logins', weight: 4, good: 200, poor: 20, value: 30, observedAt: '2026-11-19T00:00:00.000Z', stale: false, points: 5.6, pointsLost: 20 }],
  newestObservation: null,
  openAlert: null,
  sentiment: null,
  daysToRenewal: null,
  actions: [],
  groups,
};

describe('group lines', () => {
  it('lists each group with sub-score, band, 30-day change and freshness in the terminal, before the measures', () => {
    const text = renderHealthText(report);
    expect(text).toContain('    Transactional  81/100  Healthy   ↓ -1 in 30d  (3 measures, 100% fresh)');
    expect(text).toContain('    Engagement     22/100  Critical  ↓ -41 in 30d  (2 measures, 50% fresh)');
    expect(text).toContain('    Lifecycle      no fresh data     (1 measure, 0% fresh)');
    expect(text.indexOf('By group:')).toBeLessThan(text.indexOf('What drags the score down'));
  });

  it('shows the groups in Slack with their band colour, then the chart image by file id', () => {
    const message = healthBreakdownMessage(report, { chart: { fileId: 'F0CHART1', altText: 'score 48, down 33 in 30 days; engagement lowest' } });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain(':large_green_circle: *Transactional* 81/100 · ↓ -1 in 30d');
    expect(json).toContain(':red_circle: *Engagement* 22/100 · ↓ -41 in 30d · 50% fresh');
    expect(json).toContain(':white_circle: *Lifecycle*: no fresh data (1 measure)');
    const image = message.blocks.find((b) => b.type === 'image');
    expect(image).toMatchObject({ type: 'image', slack_file: { id: 'F0CHART1' }, alt_text: 'score 48, down 33 in 30 days; engagement lowest' });
    expect(message.blocks.indexOf(image!)).toBeLessThan(message.blocks.findIndex((b) => JSON.stringify(b).includes('What costs the most points')));
  });

  it('says in one line why there is no chart, and shows no image', () => {
    const message = healthBreakdownMessage(report, { chartNote: 'No chart yet: this account was first scored less than a day ago.' });
    expect(message.blocks.some((b) => b.type === 'image')).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain('No chart yet');
  });

  it('names the weakest group in portfolio lines', () => {
    const entry = { accountId: 7, name: 'Acme', externalId: 'A-7', ownerSlackUserId: null, score: 48.2, band: 'at_risk' as const, asOf: new Date(), openAlertId: null, claimedBy: null, weakestGroup: { group: 'engagement' as const, label: 'Engagement', score: 22.7 } };
    expect(portfolioLine(entry)).toBe(':large_orange_circle: *48/100* Acme `A-7` · weakest: engagement 22');
    expect(renderPortfolioText([entry], 1)).toContain('Acme (A-7)  weakest: engagement 22');
  });
});
