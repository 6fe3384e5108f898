// The score's last 90 days as an SVG: the band zones shaded behind a step line
// (snapshots are change points: a score holds until the next one), markers
// where the band changed and where a new model version took over, and each
// group's sub-score as a small line below. Pure: the same history always gives
// the same bytes, so tests can check where things are drawn.
import type { BandCutoffs, SnapshotBand } from '../scoring/types.js';
import { GROUP_LABEL, SCORE_GROUPS, type GroupScore, type ScoreGroup } from '../scoring/group-scores.js';

const DAY_MS = 86_400_000;

export interface ChartPoint {
  asOf: Date;
  score: number | null;
  band: SnapshotBand;
  modelVersionId: number;
  modelVersion: number;
  groups: readonly GroupScore[];
}

export interface ChartInput {
  title: string;
  /** The chart's right edge ("now", or a churned account's last score). */
  to: Date;
  days?: number;
  cutoffs: BandCutoffs;
  /** Oldest first; may start before the window (the score in force when it opened). */
  points: readonly ChartPoint[];
}

export interface ChartMarker {
  kind: 'band' | 'model';
  at: Date;
  x: number;
  label: string;
}

export interface ScoreChart {
  svg: string;
  width: number;
  height: number;
  markers: ChartMarker[];
  /** The groups drawn below the score, in order. */
  groups: ScoreGroup[];
}

export const CHART_WIDTH = 720;
const PLOT = { left: 92, right: 690, top: 40, bottom: 230 } as const;
const GROUP_ROW = { first: 262, height: 26 } as const;

export const BAND_COLOUR: Record<SnapshotBand, string> = {
  healthy: '#2e9d4f',
  watch: '#d9a400',
  at_risk: '#e8711a',
  critical: '#d0312d',
  insufficient_data: '#8a8f98',
};
const ZONE_FILL: Record<'healthy' | 'watch' | 'at_risk' | 'critical', string> = {
  healthy: '#e3f4e8',
  watch: '#fbf3d5',
  at_risk: '#fde9d9',
  critical: '#f9dcdb',
};
const GROUP_COLOUR: Record<ScoreGroup, string> = {
  transactional: '#3b6fd8',
  engagement: '#8e44ad',
  sentiment: '#c2417a',
  relationship: '#13898a',
  lifecycle: '#7a6a3a',
  custom: '#555b66',
};

/** Chart height for a number of group rows. */
export function chartHeight(groupRows: number): number {
  return groupRows === 0 ? PLOT.bottom + 34 : GROUP_ROW.first + groupRows * GROUP_ROW.height + 12;
}

/** The x of an instant in a window ending at `to`, clamped to the plot. */
export function xForTime(at: Date, to: Date, days = 90): number {
  const from = to.getTime() - days * DAY_MS;
  const share = (at.getTime() - from) / (days * DAY_MS);
  const clamped = share < 0 ? 0 : share > 1 ? 1 : share;
  return round2(PLOT.left + clamped * (PLOT.right - PLOT.left));
}

/** The y of a score (0..100) in the main plot. */
export function yForScore(score: number): number {
  return round2(PLOT.bottom - (Math.max(0, Math.min(100, score)) / 100) * (PLOT.bottom - PLOT.top));
}

export function renderScoreChart(input: ChartInput): ScoreChart {
  const days = input.days ?? 90;
  const toMs = input.to.getTime();
  const fromMs = toMs - days * DAY_MS;
  // Points after the right edge are not drawn; of those before the left edge only the last (in force when the window opened).
  const inRange = input.points.filter((p) => p.asOf.getTime() <= toMs);
  const firstInside = inRange.findIndex((p) => p.asOf.getTime() >= fromMs);
  const start = firstInside === -1 ? Math.max(0, inRange.length - 1) : Math.max(0, firstInside - 1);
  const points = inRange.slice(start);
  const x = (at: Date) => xForTime(at, input.to, days);

  const groups = SCORE_GROUPS.filter((g) => points.some((p) => p.groups.some((pg) => pg.group === g)));
  const height = chartHeight(groups.length);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" font-family="DejaVu Sans" font-size="11">`);
  parts.push(`<rect width="${CHART_WIDTH}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${PLOT.left}" y="22" font-size="14" font-weight="bold" fill="#1d1c1d">${escapeXml(input.title)}</text>`);

  parts.push(...bandZones(input.cutoffs));
  parts.push(...timeAxis(input.to, days));

  const markers = findMarkers(points, fromMs, x);
  for (const m of markers.filter((mk) => mk.kind === 'model')) {
    parts.push(`<line class="marker-model" data-at="${m.at.toISOString()}" x1="${m.x}" y1="${PLOT.top}" x2="${m.x}" y2="${PLOT.bottom}" stroke="#4a4f57" stroke-width="1" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${round2(m.x + 3)}" y="${PLOT.top + 11}" fill="#4a4f57" font-size="10">${escapeXml(m.label)}</text>`);
  }

  const scoreSegments = stepSegments(points.map((p) => ({ at: p.asOf, value: p.score })), input.to, x, yForScore);
  for (const d of scoreSegments) parts.push(`<path class="score-line" d="${d}" fill="none" stroke="#1d1c1d" stroke-width="2.2" stroke-linejoin="round"/>`);
  for (const m of markers.filter((mk) => mk.kind === 'band')) {
    const point = points.find((p) => p.asOf.getTime() === m.at.getTime());
    const y = point?.score === null || point?.score === undefined ? PLOT.bottom : yForScore(point.score);
    parts.push(`<circle class="marker-band" data-at="${m.at.toISOString()}" cx="${m.x}" cy="${y}" r="4.5" fill="${BAND_COLOUR[point?.band ?? 'insufficient_data']}" stroke="#ffffff" stroke-width="1.5"/>`);
  }
  const last = points.at(-1);
  if (last && last.score !== null) {
    parts.push(`<text x="${PLOT.right + 4}" y="${round2(yForScore(last.score) + 4)}" font-weight="bold" fill="${BAND_COLOUR[last.band]}">${Math.floor(last.score + 1e-9)}</text>`);
  }

  groups.forEach((group, row) => parts.push(...groupRow(group, row, points, input.to, x)));
  parts.push('</svg>');
  return { svg: parts.join(''), width: CHART_WIDTH, height, markers, groups };
}

function bandZones(c: BandCutoffs): string[] {
  const zones: ['healthy' | 'watch' | 'at_risk' | 'critical', number, number][] = [
    ['healthy', c.healthyMin, 100],
    ['watch', c.watchMin, c.healthyMin],
    ['at_risk', c.atRiskMin, c.watchMin],
    ['critical', 0, c.atRiskMin],
  ];
  const out: string[] = [];
  for (const [band, low, high] of zones) {
    if (high <= low) continue;
    const top = yForScore(high);
    out.push(`<rect class="zone-${band}" x="${PLOT.left}" y="${top}" width="${PLOT.right - PLOT.left}" height="${round2(yForScore(low) - top)}" fill="${ZONE_FILL[band]}"/>`);
  }
  for (const cut of [c.atRiskMin, c.watchMin, c.healthyMin]) {
    out.push(`<text x="${PLOT.left - 6}" y="${round2(yForScore(cut) + 4)}" text-anchor="end" fill="#616061" font-size="10">${Math.round(cut)}</text>`);
  }
  out.push(`<text x="${PLOT.left - 6}" y="${round2(yForScore(100) + 4)}" text-anchor="end" fill="#616061" font-size="10">100</text>`);
  out.push(`<text x="${PLOT.left - 6}" y="${round2(yForScore(0) + 4)}" text-anchor="end" fill="#616061" font-size="10">0</text>`);
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayLabel = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`;

function timeAxis(to: Date, days: number): string[] {
  const out = [`<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#9a9a9a" stroke-width="1"/>`];
  for (let back = days; back >= 0; back -= 30) {
    const at = new Date(to.getTime() - back * DAY_MS);
    const tx = xForTime(at, to, days);
    const anchor = back === days ? 'start' : back === 0 ? 'end' : 'middle';
    out.push(`<line x1="${tx}" y1="${PLOT.bottom}" x2="${tx}" y2="${PLOT.bottom + 4}" stroke="#9a9a9a"/>`);
    out.push(`<text x="${tx}" y="${PLOT.bottom + 16}" text-anchor="${anchor}" fill="#616061" font-size="10">${dayLabel(at)}</text>`);
  }
  return out;
}

/** Where the band changed and where a new model version took over, within the window. */
function findMarkers(points: readonly ChartPoint[], fromMs: number, x: (at: Date) => number): ChartMarker[] {
  const markers: ChartMarker[] = [];
  for (let i = 1; i < points.length; i += 1) {
    const before = points[i - 1];
    const point = points[i];
    if (!before || !point || point.asOf.getTime() < fromMs) continue;
    if (point.modelVersionId !== before.modelVersionId) markers.push({ kind: 'model', at: point.asOf, x: x(point.asOf), label: `v${point.modelVersion}` });
    if (point.band !== before.band) markers.push({ kind: 'band', at: point.asOf, x: x(point.asOf), label: point.band });
  }
  return markers;
}

/**
 * Step paths: each value holds until the next point (and the last until `to`);
 * a null (insufficient data) breaks the line rather than dropping it to 0.
 */
function stepSegments(series: readonly { at: Date; value: number | null }[], to: Date, x: (at: Date) => number, y: (v: number) => number): string[] {
  const segments: string[] = [];
  let current = '';
  series.forEach((p, i) => {
    const next = series[i + 1];
    if (p.value === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    const x0 = x(p.at);
    const x1 = next ? x(next.at) : x(to);
    const yv = y(p.value);
    current += current ? ` L${x0} ${yv} L${x1} ${yv}` : `M${x0} ${yv} L${x1} ${yv}`;
  });
  if (current) segments.push(current);
  return segments;
}

function groupRow(group: ScoreGroup, row: number, points: readonly ChartPoint[], to: Date, x: (at: Date) => number): string[] {
  const top = GROUP_ROW.first + row * GROUP_ROW.height;
  const bottom = top + GROUP_ROW.height - 8;
  const y = (v: number) => round2(bottom - (Math.max(0, Math.min(100, v)) / 100) * (bottom - top));
  const series = points.map((p) => ({ at: p.asOf, value: p.groups.find((g) => g.group === group)?.score ?? null }));
  const out = [`<text x="${PLOT.left - 6}" y="${round2(bottom - 2)}" fill="${GROUP_COLOUR[group]}" font-size="10" text-anchor="end">${GROUP_LABEL[group]}</text>`];
  out.push(`<line x1="${PLOT.left}" y1="${bottom}" x2="${PLOT.right}" y2="${bottom}" stroke="#ececec"/>`);
  for (const d of stepSegments(series, to, x, y)) out.push(`<path class="group-line group-${group}" d="${d}" fill="none" stroke="${GROUP_COLOUR[group]}" stroke-width="1.6"/>`);
  const last = series.at(-1)?.value;
  if (last !== null && last !== undefined) out.push(`<text x="${PLOT.right + 4}" y="${round2(y(last) + 4)}" fill="${GROUP_COLOUR[group]}" font-size="10">${Math.floor(last + 1e-9)}</text>`);
  return out;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
