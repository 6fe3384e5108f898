import { describe, expect, it } from 'vitest';
import { distance, nearMatchScore, queryGrams, trigramSimilarity } from '../../src/accounts/similarity.js';

describe('account name similarity', () => {
  it('measures edit distance', () => {
    expect(distance('globex', 'globx')).toBe(1);
    expect(distance('klobex', 'globex')).toBe(1);
    expect(distance('', 'abc')).toBe(3);
  });
  it('measures trigram overlap like pg_trgm', () => {
    expect(trigramSimilarity('globex', 'globex')).toBe(1);
    expect(trigramSimilarity('globx', 'globex')).toBeGreaterThan(0.4);
    expect(trigramSimilarity('abc', 'xyz')).toBe(0);
  });
  it('scores a typo against the name, its words, the external id and the domain without its TLD', () => {
    expect(nearMatchScore('globx', ['Globex Corporation', 'GLX-100', 'globex.io'])).toBeGreaterThan(0.8);
    expect(nearMatchScore('klobex', ['Globex Corporation', null, null])).toBeGreaterThan(0.8);
    expect(nearMatchScore('mixed-case-8', ['Umbrella', 'Mixed-Case-9', null])).toBeGreaterThan(0.9);
    expect(nearMatchScore('zzqqxx', ['Globex Corporation', 'GLX-100', 'globex.io'])).toBeLessThan(0.5);
  });
  it('splits the query into distinct fragments for the database to narrow with', () => {
    expect(queryGrams('klobex')).toEqual(['klo', 'lob', 'obe', 'bex']);
    expect(queryGrams('abc')).toEqual(['ab', 'bc']);
    expect(queryGrams('a b')).toEqual([]);
    expect(queryGrams('x'.repeat(100))).toEqual(['xxx']);
  });
});
