// A group call's traits as account fields: name, domain (or website), plan
// (or segment), arr, renewal_date. Only traits that are sent are written, so a
// group call carrying just a plan never clears the account's ARR.
import { parseIsoTimestamp } from './iso-time.js';

export interface AccountTraits {
  name?: string;
  domain?: string | null;
  segment?: string | null;
  arr?: number | null;
  renewalDate?: Date | null;
}

export type TraitsOutcome = { ok: true; traits: AccountTraits } | { ok: false; reason: string };

export function accountTraits(traits: Record<string, unknown> | null): TraitsOutcome {
  const out: AccountTraits = {};
  if (!traits) return { ok: true, traits: out };
  const name = text(traits['name']);
  if (name === false) return bad('traits.name must be text');
  if (name) out.name = name.slice(0, 200);

  // The first of the two names that is sent wins, even when it is sent empty (to clear the value).
  const either = (a: string, b: string) => text(a in traits ? traits[a] : traits[b]);
  const domain = either('domain', 'website');
  if (domain === false) return bad('traits.domain / traits.website must be text');
  if (domain !== undefined) out.domain = domain === null ? null : hostOf(domain);

  const segment = either('plan', 'segment');
  if (segment === false) return bad('traits.plan / traits.segment must be text');
  if (segment !== undefined) out.segment = segment;

  if ('arr' in traits) {
    const arr = traits['arr'];
    const value = arr === null ? null : typeof arr === 'number' ? arr : typeof arr === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(arr) ? Number(arr) : Number.NaN;
    if (value !== null && (!Number.isFinite(value) || value < 0)) return bad('traits.arr must be a number of 0 or more');
    out.arr = value;
  }
  if ('renewal_date' in traits) {
    const raw = traits['renewal_date'];
    if (raw === null) out.renewalDate = null;
    else {
      const at = typeof raw === 'string' ? parseIsoTimestamp(raw.trim()) : null;
      if (!at) return bad('traits.renewal_date must be an ISO 8601 date such as 2027-03-31');
      out.renewalDate = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
    }
  }
  return { ok: true, traits: out };
}

/** undefined = not sent, null = sent empty, false = not text. */
function text(value: unknown): string | null | undefined | false {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** "https://www.Acme.com/about" → "acme.com": the form account lookups by domain use. */
export function hostOf(value: string): string {
  const withoutScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = withoutScheme.split(/[/?#]/)[0] ?? withoutScheme;
  return host.replace(/:\d+$/, '').replace(/^www\./i, '').toLowerCase().slice(0, 200);
}

function bad(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
