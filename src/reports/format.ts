// Small formatting helpers shared by the Slack views and the terminal renderer.
import type { SnapshotBand } from '../scoring/types.js';

export const BAND_LABEL: Record<SnapshotBand, string> = {
  healthy: 'Healthy',
  watch: 'Watch',
  at_risk: 'At risk',
  critical: 'Critical',
  insufficient_data: 'Insufficient data',
};

export const BAND_EMOJI: Record<SnapshotBand, string> = {
  healthy: ':large_green_circle:',
  watch: ':large_yellow_circle:',
  at_risk: ':large_orange_circle:',
  critical: ':red_circle:',
  insufficient_data: ':white_circle:',
};

/**
 * The score as a whole number, rounded down. Bands are "score >= cut-off", so
 * rounding 74.6 up to 75 showed "75/100 Watch" under a healthy cut-off of 75;
 * rounded down, a whole-number cut-off never contradicts the band beside it.
 */
export function formatScore(score: number | null): string {
  return score === null ? 'insufficient data' : `${Math.floor(score + 1e-9)}/100`;
}

export function formatChange(change: number | null, days: number): string {
  if (change === null) return `no ${days}-day history`;
  const arrow = change > 0.5 ? '↑' : change < -0.5 ? '↓' : '→';
  const sign = change > 0 ? '+' : '';
  return `${arrow} ${sign}${Math.round(change)} in ${days}d`;
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'no data';
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return unit === '%' ? `${rounded}%` : unit ? `${rounded} ${unit}` : rounded;
}

export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
