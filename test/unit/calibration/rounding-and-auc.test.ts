import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder, roundWeights } from '../../../src/calibration/round-weights.js';
import { rankScores, weightedAuc } from '../../../src/calibration/weighted-auc.js';
import { rocAuc } from '../../../src/scoring/roc-auc.js';

describe('roundWeights', () => {
  it('rounds to whole numbers summing to 100 by largest remainder', () => {
    expect(largestRemainder([1, 1, 1], 100)).toEqual([34, 33, 33]);
    expect(largestRemainder([0.333, 0.333, 0.334], 100)).toEqual([33, 33, 34]);
    expect(largestRemainder([0, 0], 100)).toEqual([0, 0]);
  });

  it('drops measures under 5 and shares their weight among the rest', () => {
    expect(roundWeights([50, 30, 16, 4])).toEqual([52, 31, 17, 0]);
    // 0.8 goes first; then one 4.6 rounds to 4 and goes; the other lifts to 5 and stays.
    expect(roundWeights([90, 4.6, 4.6, 0.8])).toEqual([95, 5, 0, 0]);
  });

  it('always sums to the total, with no kept weight under the minimum', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 25 }), (shares) => {
      const out = roundWeights(shares);
      const sum = out.reduce((a, b) => a + b, 0);
      if (shares.every((s) => s <= 0)) return sum === 0;
      return sum === 100 && out.every((w) => w === 0 || w >= 5) && out.every(Number.isInteger);
    }));
  });
});

describe('weightedAuc', () => {
  it('equals rocAuc on the data repeated as the counts say', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean(), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 60 }),
      (rows) => {
        const scores = rows.map((r) => r[0]);
        const churned = rows.map((r) => r[1]);
        const counts = rows.map((r) => r[2]);
        const expanded = rows.flatMap(([score, positive, count]) => Array.from({ length: count }, () => ({ score, positive })));
        const expected = rocAuc(expanded);
        const got = weightedAuc(rankScores(scores), churned, counts);
        return expected === null ? got === null : got !== null && Math.abs(got - expected) < 1e-12;
      },
    ));
  });
});
