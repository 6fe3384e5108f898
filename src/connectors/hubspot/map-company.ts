// A HubSpot company → the account fields it sets. Pure. Only values HubSpot
// actually holds are sent, so a blank HubSpot property never wipes what a CSV
// import or the API stored (the same field-by-field rule as everywhere else).
import { domain as parseDomain } from '../../ingest/parse-fields.js';
import type { HubSpotCompany } from './hubspot-client.js';

export const BASE_PROPERTIES = ['name', 'domain', 'hubspot_owner_id', 'annualrevenue'] as const;

export interface CompanyFields {
  hubspotId: string;
  name: string;
  domain?: string;
  arr?: number;
  renewalDate?: Date;
  ownerId?: string;
  /** Values that were present but unusable, said in the sync summary (the rest of the company is applied). */
  problems: string[];
}

/** HubSpot date properties come as YYYY-MM-DD, datetimes as ISO 8601, older ones as epoch milliseconds. */
export function parseHubSpotDate(value: string): Date | null {
  const v = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(v);
  let date: Date | null = null;
  if (day) date = v.length === 10 ? new Date(`${v}T00:00:00Z`) : new Date(v);
  else if (/^\d{10,14}$/.test(v)) date = new Date(Number(v));
  if (!date || Number.isNaN(date.getTime())) return null;
  // new Date('2027-02-30') rolls over to 2 March; a day that does not exist is refused.
  if (day && date.toISOString().slice(0, 10) !== v.slice(0, 10) && v.length === 10) return null;
  const utcDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  return utcDay.getUTCFullYear() >= 1900 && utcDay.getUTCFullYear() <= 2100 ? utcDay : null;
}

export function mapCompany(company: HubSpotCompany, renewalProperty: string | undefined): CompanyFields {
  const p = (name: string) => {
    const value = company.properties[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const problems: string[] = [];
  const fields: CompanyFields = { hubspotId: company.id, name: '', problems };
  const rawDomain = p('domain');
  if (rawDomain !== undefined) {
    const host = parseDomain(rawDomain);
    if (host.ok) fields.domain = host.value;
    else problems.push(`company ${company.id}: ${host.error}`);
  }
  fields.name = (p('name') ?? fields.domain ?? `HubSpot company ${company.id}`).slice(0, 200);
  const revenue = p('annualrevenue');
  if (revenue !== undefined) {
    const n = Number(revenue);
    if (Number.isFinite(n) && n >= 0) fields.arr = n;
    else problems.push(`company ${company.id}: annualrevenue "${revenue}" is not an amount`);
  }
  if (renewalProperty) {
    const raw = p(renewalProperty);
    const date = raw === undefined ? null : parseHubSpotDate(raw);
    if (date) fields.renewalDate = date;
    else if (raw !== undefined) problems.push(`company ${company.id}: ${renewalProperty} "${raw}" is not a date`);
  }
  const owner = p('hubspot_owner_id');
  if (owner !== undefined) fields.ownerId = owner;
  return fields;
}
