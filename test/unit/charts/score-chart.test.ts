import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartAltText } from '../../../src/charts/alt-text.js';
import { renderPng } from '../../../src/charts/render-png.js';
import { chartHeight, CHART_WIDTH, renderScoreChart, xForTime, yForScore, type ChartPoint } from '../../../src/charts/score-chart.js';
import type { GroupScore } from '../../../src/scoring/group-scores.js';
import { bytesPerPixel, decodePng } from '../../support/png.js';

const DAY = 86_400_000;
const to = new Date('2026-11-20T00:00:00Z');
const ago = (days: number) => new Date(to.getTime() - days * DAY);
const cutoffs = { healthyMin: 75, watchMin: 55, atRiskMin: 35 };
const groups = (transactional: number, engagement: number | null): GroupScore[] => [
  { group: 'transactional', score: transactional, completeness: 1, weight: 3, measureCount: 3 },
  { group: 'engagement', score: engagement, completeness: engagement === null ? 0 : 1, weight: 3, measureCount: 3 },
];
const point = (days: number, score: number | null, band: ChartPoint['band'], version: number, g: GroupScore[]): ChartPoint => ({ asOf: ago(days), score, band, modelVersionId: 100 + version, modelVersion: version, groups: g });

/** Healthy before the window, watch at −45 d, a new model version at −30 d, at risk from −9 d. */
const history: ChartPoint[] = [
  point(100, 80, 'healthy', 1, groups(85, 75)),
  point(45, 70, 'watch', 1, groups(82, 58)),
  point(30, 60, 'watch', 2, groups(80, 40)),
  point(9, 40, 'at_risk', 2, groups(70, 10)),
];

const attr = (svg: string, selector: RegExp) => svg.match(selector)?.slice(1) ?? [];

describe('renderScoreChart', () => {
  const chart = renderScoreChart({ title: 'Acme <Corp> & Co', to, cutoffs, points: history });

  it('maps the 90-day window onto the plot: left edge 90 days ago, right edge now', () => {
    expect(xForTime(ago(90), to)).toBe(92);
    expect(xForTime(to, to)).toBe(690);
    expect(xForTime(ago(45), to)).toBe(391);
    expect(xForTime(ago(400), to)).toBe(92);
  });

  it('shades the four band zones between the model cut-offs', () => {
    expect(attr(chart.svg, /class="zone-healthy" x="92" y="([\d.]+)" width="598" height="([\d.]+)"/)).toEqual(['40', '47.5']);
    expect(attr(chart.svg, /class="zone-watch" x="92" y="([\d.]+)" width="598" height="([\d.]+)"/)).toEqual(['87.5', '38']);
    expect(attr(chart.svg, /class="zone-at_risk" x="92" y="([\d.]+)" width="598" height="([\d.]+)"/)).toEqual(['125.5', '38']);
    expect(attr(chart.svg, /class="zone-critical" x="92" y="([\d.]+)" width="598" height="([\d.]+)"/)).toEqual(['163.5', '66.5']);
    expect(yForScore(cutoffs.healthyMin)).toBe(87.5);
  });

  it('marks band changes and the model version change at their x, and none for what happened before the window', () => {
    expect(chart.markers).toEqual([
      { kind: 'band', at: ago(45), x: 391, label: 'watch' },
      { kind: 'model', at: ago(30), x: 490.67, label: 'v2' },
      { kind: 'band', at: ago(9), x: 630.2, label: 'at_risk' },
    ]);
    expect(attr(chart.svg, /class="marker-model" data-at="[^"]+" x1="([\d.]+)"/)).toEqual(['490.67']);
    expect([...chart.svg.matchAll(/class="marker-band" data-at="[^"]+" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [m[1], m[2]])).toEqual([['391', String(yForScore(70))], ['630.2', String(yForScore(40))]]);
    expect(chart.svg).toContain('>v2</text>');
  });

  it('draws the score as steps held until the next snapshot, from the window\'s left edge to now', () => {
    const d = attr(chart.svg, /class="score-line" d="([^"]+)"/)[0];
    expect(d).toBe(`M92 ${yForScore(80)} L391 ${yForScore(80)} L391 ${yForScore(70)} L490.67 ${yForScore(70)} L490.67 ${yForScore(60)} L630.2 ${yForScore(60)} L630.2 ${yForScore(40)} L690 ${yForScore(40)}`);
  });

  it('draws one small line per group below, breaking where a group had no fresh data', () => {
    expect(chart.groups).toEqual(['transactional', 'engagement']);
    expect(chart.height).toBe(chartHeight(2));
    expect(chart.svg.match(/class="group-line group-transactional"/g)).toHaveLength(1);
    const withGap = renderScoreChart({ title: 't', to, cutoffs, points: [point(60, 70, 'watch', 1, groups(80, 50)), point(40, 65, 'watch', 1, groups(80, null)), point(20, 60, 'watch', 1, groups(80, 30))] });
    expect(withGap.svg.match(/class="group-line group-engagement"/g)).toHaveLength(2);
  });

  it('breaks the score line while data was insufficient instead of drawing a fall to 0', () => {
    const gap = renderScoreChart({ title: 't', to, cutoffs, points: [point(60, 70, 'watch', 1, []), point(40, null, 'insufficient_data', 1, []), point(20, 60, 'watch', 1, [])] });
    expect(gap.svg.match(/class="score-line"/g)).toHaveLength(2);
    expect(gap.groups).toEqual([]);
    expect(gap.height).toBe(chartHeight(0));
  });

  it('escapes the title', () => {
    expect(chart.svg).toContain('Acme &lt;Corp&gt; &amp; Co');
  });
});

describe('renderPng', () => {
  it('renders a PNG that decodes, at the SVG size (or a given scale)', async () => {
    const chart = renderScoreChart({ title: 'Acme Corp', to, cutoffs, points: history });
    const png = await renderPng(chart.svg);
    const decoded = decodePng(png.data);
    expect([decoded.width, decoded.height]).toEqual([CHART_WIDTH, chart.height]);
    const double = decodePng((await renderPng(chart.svg, 2)).data);
    expect([double.width, double.height]).toEqual([CHART_WIDTH * 2, chart.height * 2]);
    expect([png.width, png.height]).toEqual([decoded.width, decoded.height]);
    expect(decoded.bitDepth).toBe(8);
    expect(decoded.raw.length).toBe(decoded.height * (1 + decoded.width * bytesPerPixel(decoded.colourType)));
  });

  it('draws text with the bundled font (no system fonts): the title adds dark pixels', async () => {
    const blank = renderScoreChart({ title: '', to, cutoffs, points: history });
    const titled = renderScoreChart({ title: 'WWWWWWWWWWWWWWWW', to, cutoffs, points: history });
    expect((await renderPng(titled.svg, 1)).data.equals((await renderPng(blank.svg, 1)).data)).toBe(false);
  });

  // The README's example chart is made here: WRITE_DOCS_CHART=1 rewrites it; otherwise the committed one must still decode.
  it('keeps the README example chart under docs/', async () => {
    const file = new URL('../../../docs/score-chart.png', import.meta.url);
    if (process.env.WRITE_DOCS_CHART === '1') {
      const demo: ChartPoint[] = [];
      for (let d = 96; d >= 0; d -= 3) {
        const score = d > 40 ? 79 - (96 - d) * 0.06 : 75.6 - (40 - d) * 0.92;
        const band = score >= 75 ? 'healthy' : score >= 55 ? 'watch' : score >= 35 ? 'at_risk' : 'critical';
        demo.push(point(d, Math.round(score * 10) / 10, band, d > 21 ? 3 : 4, [
          { group: 'transactional', score: 82 - (d < 40 ? (40 - d) * 0.35 : 0), completeness: 1, weight: 3, measureCount: 3 },
          { group: 'engagement', score: d > 40 ? 76 : 76 - (40 - d) * 1.5, completeness: 1, weight: 3, measureCount: 3 },
          { group: 'sentiment', score: 71, completeness: 1, weight: 2, measureCount: 3 },
          { group: 'relationship', score: d > 12 ? 64 : 48, completeness: 1, weight: 1, measureCount: 2 },
        ]));
      }
      mkdirSync(new URL('../../../docs/', import.meta.url), { recursive: true });
      writeFileSync(file, (await renderPng(renderScoreChart({ title: 'Acme Corp — score, last 90 days', to, cutoffs, points: demo }).svg, 2)).data);
    }
    expect(existsSync(file)).toBe(true);
    expect(decodePng(readFileSync(file)).width).toBe(CHART_WIDTH * 2);
  });
});

describe('chartAltText', () => {
  const g = groups(70, 12);
  it('says the chart in words', () => {
    expect(chartAltText({ score: 41.7, change30d: -33.2, groups: g })).toBe('score 41, down 33 in 30 days; engagement lowest');
    expect(chartAltText({ score: 80, change30d: 4.6, groups: g })).toBe('score 80, up 5 in 30 days; engagement lowest');
    expect(chartAltText({ score: 80, change30d: 0.2, groups: [] })).toBe('score 80, unchanged in 30 days');
    expect(chartAltText({ score: 80, change30d: null, groups: g.slice(0, 1) })).toBe('score 80, no 30-day history');
    expect(chartAltText({ score: null, change30d: null, groups: g })).toBe('score history for the last 90 days; insufficient data now');
  });
});
