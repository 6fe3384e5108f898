import { describe, expect, it } from 'vitest';
import { daysToRenewal } from '../../../src/scoring/renewal.js';

describe('daysToRenewal', () => {
  const renewal = new Date('2027-01-10'); // a date column: midnight UTC
  it('counts whole UTC days, the same all day long, changing at midnight UTC', () => {
    expect(daysToRenewal(renewal, new Date('2027-01-02T00:00:00Z'))).toBe(8);
    expect(daysToRenewal(renewal, new Date('2027-01-02T13:00:00Z'))).toBe(8);
    expect(daysToRenewal(renewal, new Date('2027-01-02T23:59:59Z'))).toBe(8);
    expect(daysToRenewal(renewal, new Date('2027-01-03T00:00:00Z'))).toBe(7);
  });
  it('is 0 on the day and negative once it has passed', () => {
    expect(daysToRenewal(renewal, new Date('2027-01-10T18:00:00Z'))).toBe(0);
    expect(daysToRenewal(renewal, new Date('2027-01-12T08:00:00Z'))).toBe(-2);
  });
  it('is not shifted by a daylight-saving change in any time zone (UTC instants)', () => {
    // Europe/Berlin and America/New_York change clocks in late March: still exact days.
    expect(daysToRenewal(new Date('2026-04-01'), new Date('2026-03-28T22:30:00Z'))).toBe(4);
    expect(daysToRenewal(new Date('2026-04-01'), new Date('2026-03-29T01:30:00Z'))).toBe(3);
  });
});
