import { describe, expect, it } from 'vitest';
import { generateCompanyNames } from '../../../src/demo/company-names.js';
import { deriveSeed, seededRandom, shuffle } from '../../../src/demo/seeded-random.js';

describe('seededRandom', () => {
  it('repeats for a seed, stays in [0, 1), and differs between seeds and derived streams', () => {
    const draw = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 1_000 }, () => r());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(1).every((x) => x >= 0 && x < 1)).toBe(true);
    expect(deriveSeed(1, 1)).not.toBe(deriveSeed(1, 2));
    expect(deriveSeed(1, 1)).toBe(deriveSeed(1, 1));
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = shuffle(seededRandom(5), [...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });
});

describe('generateCompanyNames', () => {
  it.each([1, 240, 18_500, 40_000])('gives %i unique names and domains', (count) => {
    const names = generateCompanyNames(9, count);
    expect(names).toHaveLength(count);
    expect(new Set(names.map((n) => n.name.toLowerCase())).size).toBe(count);
    expect(new Set(names.map((n) => n.domain)).size).toBe(count);
    expect(names.every((n) => /^[a-z0-9]+\.example\.com$/.test(n.domain))).toBe(true);
  });
});
