// The terminal breakdown (`account-health score`): the score shown never
// contradicts its band, and "insufficient data" is said once, without points
// lost that no score was computed from.
import { describe, expect, it } from 'vitest';
import type { HealthReport, ReportComponent } from '../../../src/reports/build-health-report.js';
import { formatScore } from '../../../src/reports/format.js';
import { renderHealthText, renderPortfolioText } from '../../../src/reports/render-health-text.js';
import { bandFor } from '../../../src/scoring/compute-score.js';
import { DEFAULT_CUTOFFS } from '../../../src/scoring/default-models.js';
import type { SnapshotBand } from '../../../src/scoring/types.js';

const component = (metricKey: string, label: string, points: number | null, pointsLost: number, value: number | null): ReportComponent => ({
  metricKey, label, unit: '', weight: 10, good: 100, poor: 0, value, observedAt: value === null ? null : '2026-11-20T00:00:00.000Z', stale: false, points, pointsLost,
});

function report(score: number | null, band: SnapshotBand, completeness: number, components: ReportComponent[]): HealthReport {
  return {
    account: { id: 1, externalId: 'A-1', name: 'Acme', domain: null, segment: null, ownerSlackUserId: null, slackChannelId: null, arr: null, renewalDate: null, churnedOn: null },
    snapshot: { asOf: new Date('2026-11-22T09:00:00Z'), score, band, completeness, modelName: 'Default', modelVersion: 1 },
    trend: null,
    components,
    newestObservation: null,
    openAlert: null,
    sentiment: null,
    daysToRenewal: null,
    actions: [],
  };
}

describe('terminal breakdown', () => {
  it.each([74.6, 74.95, 54.9, 34.99, 75, 55.0, 0.4, 99.9])('shows %d with a number that lies in its band', (score) => {
    const band = bandFor(score, DEFAULT_CUTOFFS);
    const text = renderHealthText(report(score, band, 1, [component('nps', 'NPS', 50, 5, 10)]));
    const shown = Number(/Score +(\d+)\/100/.exec(text)?.[1]);
    expect(bandFor(shown, DEFAULT_CUTOFFS)).toBe(band);
    expect(formatScore(score)).toBe(`${shown}/100`);
  });

  it('says "insufficient data" once, with the completeness, and lists no points lost', () => {
    const text = renderHealthText(report(null, 'insufficient_data', 0.3, [component('nps', 'NPS', 40, 20, 10), component('csat', 'CSAT', null, 0, null)]));
    expect(text.match(/insufficient data/gi)).toHaveLength(1);
    expect(text).toContain('Score      Insufficient data: only 30% of the model\'s weight has fresh data');
    expect(text).not.toMatch(/pts|drags/);
    expect(text).toContain('Fresh data: NPS 10');
    expect(text).toContain('Missing: CSAT (no data)');
  });

  it('lists portfolio scores the same way', () => {
    const entry = { accountId: 1, externalId: 'A-1', name: 'Acme', ownerSlackUserId: null, score: 74.6, band: 'watch' as const, asOf: new Date(), openAlertId: null, claimedBy: null };
    const text = renderPortfolioText([entry], 1);
    expect(text).toContain('74/100  Watch');
  });
});
