import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/connectors/hubspot/hubspot-client.js';
import { mapCompany, parseHubSpotDate } from '../../../src/connectors/hubspot/map-company.js';

const company = (properties: Record<string, string | null>) => ({ id: '18139417', properties });

describe('mapCompany', () => {
  it('takes name, domain, owner, annual revenue and the renewal property', () => {
    expect(mapCompany(company({ name: ' Biglytics ', domain: 'https://www.Biglytics.net/', hubspot_owner_id: '41629779', annualrevenue: '1200000.50', renews_on: '2027-03-31' }), 'renews_on')).toEqual({
      hubspotId: '18139417',
      name: 'Biglytics',
      domain: 'biglytics.net',
      ownerId: '41629779',
      arr: 1200000.5,
      renewalDate: new Date('2027-03-31T00:00:00Z'),
      problems: [],
    });
  });

  it('sends nothing for blank properties, falls back for the name, and lists unusable values', () => {
    expect(mapCompany(company({ name: null, domain: 'acme.com', annualrevenue: '' }), undefined)).toEqual({ hubspotId: '18139417', name: 'acme.com', domain: 'acme.com', problems: [] });
    expect(mapCompany(company({}), undefined)).toEqual({ hubspotId: '18139417', name: 'HubSpot company 18139417', problems: [] });
    expect(mapCompany(company({ name: 'X', domain: 'not a domain', annualrevenue: 'lots', renews_on: 'soon' }), 'renews_on').problems).toEqual([
      'company 18139417: domain "not a domain" is not a host name like acme.com',
      'company 18139417: annualrevenue "lots" is not an amount',
      'company 18139417: renews_on "soon" is not a date',
    ]);
  });

  it('reads HubSpot dates, datetimes and epoch milliseconds as a UTC day', () => {
    expect(parseHubSpotDate('2027-03-31')).toEqual(new Date('2027-03-31T00:00:00Z'));
    expect(parseHubSpotDate('2027-03-31T22:30:00.000Z')).toEqual(new Date('2027-03-31T00:00:00Z'));
    expect(parseHubSpotDate('1806451200000')).toEqual(new Date('2027-03-31T00:00:00Z'));
    expect(parseHubSpotDate('2027-02-30')).toBeNull();
    expect(parseHubSpotDate('31/03/2027')).toBeNull();
  });
});

describe('retryAfterMs', () => {
  it('honours seconds or a date, capped at a minute, and waits HubSpot\'s 10-second window otherwise', () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Fri, 20 Nov 2026 12:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('3600', now)).toBe(60_000);
    expect(retryAfterMs(null, now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBe(10_000);
  });
});
