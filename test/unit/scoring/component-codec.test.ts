import { describe, expect, it } from 'vitest';
import { decodeComponents, encodeComponents } from '../../../src/scoring/component-codec.js';
import type { MeasureComponent } from '../../../src/scoring/types.js';

const scored: MeasureComponent = { metricKey: 'nps', weight: 10, good: 50, poor: -10, value: 20, observedAt: '2026-11-20T00:00:00.000Z', stale: false, points: 50, pointsLost: 5.6 };
const stale: MeasureComponent = { metricKey: 'csat', weight: 6, good: 90, poor: 60, value: 70, observedAt: '2026-01-02T03:04:05.678Z', stale: true, points: null, pointsLost: 0 };
const missing: MeasureComponent = { metricKey: 'logins_30d', weight: 12, good: 200, poor: 30, value: null, observedAt: null, stale: false, points: null, pointsLost: 0 };

describe('component codec', () => {
  it('round-trips scored, stale and missing measures exactly', () => {
    const encoded = encodeComponents([scored, stale, missing]);
    expect(decodeComponents(JSON.parse(JSON.stringify(encoded)))).toEqual([scored, stale, missing]);
  });

  it('stores about a third of the keyed form', () => {
    const keyed = JSON.stringify([scored, stale, missing]).length;
    expect(JSON.stringify(encodeComponents([scored, stale, missing])).length).toBeLessThan(keyed / 2);
  });

  it('still reads snapshots written in the keyed form', () => {
    expect(decodeComponents([scored, missing])).toEqual([scored, missing]);
  });

  it('refuses anything else loudly', () => {
    expect(() => decodeComponents([['nps', 10]])).toThrow();
    expect(() => decodeComponents({ nps: 1 })).toThrow();
    expect(() => decodeComponents([['nps', 10, 50, -10, 20, null, 2, 50, 1]])).toThrow();
  });
});
