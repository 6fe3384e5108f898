import { describe, expect, it } from 'vitest';
import { summariseScoreChanges } from '../../../src/tuning/preview-model-change.js';
import type { SnapshotBand } from '../../../src/scoring/types.js';

const row = (name: string, before: number | null, bandBefore: SnapshotBand, after: number | null, bandAfter: SnapshotBand) => ({ name, before: { score: before, band: bandBefore }, after: { score: after, band: bandAfter } });

describe('summariseScoreChanges (the preview\'s figures)', () => {
  it('counts band changes and lists the biggest movers first, ignoring moves under half a point', () => {
    const summary = summariseScoreChanges([
      row('Small', 70, 'watch', 70.3, 'watch'),
      row('Faller', 80, 'healthy', 52, 'at_risk'),
      row('Riser', 50, 'at_risk', 60, 'watch'),
      row('Edge', 75.2, 'healthy', 74.6, 'watch'),
    ]);
    expect(summary.bandChanges).toBe(3);
    expect(summary.movers.map((m) => m.name)).toEqual(['Faller', 'Riser', 'Edge']);
    expect(summary.movers[0]).toEqual({ name: 'Faller', before: 80, after: 52, bandBefore: 'healthy', bandAfter: 'at_risk' });
  });

  it('keeps at most five movers, and treats losing a score (too little data) as a move', () => {
    const many = Array.from({ length: 8 }, (_, i) => row(`A${i}`, 50, 'at_risk', 50 - i - 1, 'at_risk'));
    expect(summariseScoreChanges(many).movers.map((m) => m.name)).toEqual(['A7', 'A6', 'A5', 'A4', 'A3']);
    const lost = summariseScoreChanges([row('Gone quiet', 64, 'watch', null, 'insufficient_data')]);
    expect(lost).toEqual({ bandChanges: 1, movers: [{ name: 'Gone quiet', before: 64, after: null, bandBefore: 'watch', bandAfter: 'insufficient_data' }] });
  });

  it('says nothing moved when nothing did', () => {
    expect(summariseScoreChanges([row('Same', 60, 'watch', 60, 'watch')])).toEqual({ bandChanges: 0, movers: [] });
    expect(summariseScoreChanges([])).toEqual({ bandChanges: 0, movers: [] });
  });
});
