// Field parsers shared by CSV rows and API items. Each takes what a person
// typed (a CSV string, or a JSON value) and either returns the typed value or
// says precisely what is wrong and how to fix it, naming the field.
import { z } from 'zod';
import { METRIC_KEY_PATTERN } from '../scoring/catalogue.js';
import { normaliseSegment } from '../scoring/segment-name.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): Parsed<never> => ({ ok: false, error });

/** A blank CSV cell, whitespace and JSON null all mean "absent"; text is trimmed. */
export function blankToUndefined(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A field that must be present. */
export function requiredField<T>(label: string, parse: (value: unknown) => Parsed<T>) {
  return z.unknown().transform((raw, ctx): T => {
    const value = blankToUndefined(raw);
    const result = value === undefined ? fail(`${label} is required`) : parse(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.error });
    return z.NEVER;
  });
}

/** A field that may be left out, blank or null: a missing key comes out undefined, a blank one null. */
export function optionalField<T>(parse: (value: unknown) => Parsed<T>) {
  return z
    .unknown()
    .transform((raw, ctx): T | null => {
      const value = blankToUndefined(raw);
      if (value === undefined) return null;
      const result = parse(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.error });
      return z.NEVER;
    })
    .optional();
}

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value));

export const text = (label: string, max: number) => (value: unknown): Parsed<string> => {
  if (typeof value !== 'string') return fail(`${label} must be text, not ${show(value)}`);
  return value.length <= max ? ok(value) : fail(`${label} is at most ${max} characters (got ${value.length})`);
};

/** Ids and references: warehouse exports often send numeric ids as JSON numbers. */
export const identifier = (label: string, max: number) => (value: unknown): Parsed<string> =>
  text(label, max)(typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);

const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Thousands commas only in full groups ("120,000.50"): "1,2" is more likely a decimal comma. */
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

function numberHint(value: string): string {
  if (/^[+-]?\d+(?:\.\d+)?\s*[kmb]$/i.test(value)) return ' (write the full number, e.g. 12000 rather than 12k)';
  if (/[$€£¥]/.test(value)) return ' (leave out the currency symbol)';
  if (/%\s*$/.test(value)) return ' (leave out the % sign)';
  if (/^[+-]?\d+,\d+$/.test(value)) return ' (use "." for decimals; "," may only group thousands, as in 1,200,000)';
  if (/^[+-]?(?:nan|inf(?:inity)?)$/i.test(value)) return ' (it must be a finite number)';
  return '';
}

export const finiteNumber = (label: string) => (value: unknown): Parsed<number> => {
  if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : fail(`${label} must be a finite number`);
  if (typeof value !== 'string') return fail(`${label} must be a number, not ${show(value)}`);
  const parsed = PLAIN_NUMBER.test(value) ? Number(value) : GROUPED_NUMBER.test(value) ? Number(value.replaceAll(',', '')) : Number.NaN;
  return Number.isFinite(parsed) ? ok(parsed) : fail(`${label} "${value}" is not a number${numberHint(value)}`);
};

export const nonNegativeNumber = (label: string) => (value: unknown): Parsed<number> => {
  const result = finiteNumber(label)(value);
  return !result.ok || result.value >= 0 ? result : fail(`${label} ${show(value)} must be 0 or more`);
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why y-m-d is not a real calendar day, or null when it is. */
function calendarProblem(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${MONTHS[month - 1] ?? 'that month'} ${year} has ${days} days`;
  return null;
}

/** A calendar date as YYYY-MM-DD, at UTC midnight (the columns are SQL dates). */
export const calendarDate = (label: string, years: { min: number; max: number }) => (value: unknown): Parsed<Date> => {
  if (typeof value !== 'string') return fail(`${label} must be a date like 2026-03-31, not ${show(value)}`);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    const hint = /^\d{4}-\d{2}-\d{2}[T ]/.test(value) ? 'use YYYY-MM-DD without a time' : 'use YYYY-MM-DD';
    return fail(`${label} "${value}" is not a valid date (${hint})`);
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const problem = calendarProblem(year, month, day);
  if (problem) return fail(`${label} "${value}" is not a valid date (${problem})`);
  if (year < years.min || year > years.max) return fail(`${label} "${value}" is out of range (years ${years.min}–${years.max})`);
  return ok(new Date(Date.UTC(year, month - 1, day)));
};

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const FIRST_INSTANT = Date.UTC(1970, 0, 1);
const END_OF_2100 = Date.UTC(2101, 0, 1);

/** An ISO 8601 date (00:00 UTC) or date-time with Z or an offset: a time without a zone is ambiguous. */
export const instant = (label: string) => (value: unknown): Parsed<Date> => {
  const format = 'an ISO 8601 date or date-time with a time zone (e.g. 2026-03-31 or 2026-03-31T09:00:00Z)';
  if (typeof value !== 'string') return fail(`${label} must be ${format}, not ${show(value)}`);
  const m = TIMESTAMP.exec(value);
  if (!m) return fail(`${label} "${value}" is not ${format}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const problem = calendarProblem(year, month, day);
  if (problem) return fail(`${label} "${value}" is not a valid date (${problem})`);
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (m[4] !== undefined && m[8] === undefined) return fail(`${label} "${value}" has a time but no time zone (add Z for UTC or an offset like +02:00)`);
  if (hour > 23 || minute > 59 || second > 59) return fail(`${label} "${value}" has an impossible time of day`);
  const offsetMinutes = parseOffset(m[8]);
  if (offsetMinutes === null) return fail(`${label} "${value}" has an impossible time-zone offset`);
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  // The written year is checked too: Date.UTC reads years 0–99 as 1900–1999.
  if (year < 1970 || time < FIRST_INSTANT || time >= END_OF_2100) return fail(`${label} "${value}" is out of range (1970 to 2100)`);
  return ok(new Date(time));
};

/** Minutes east of UTC; null when impossible. Real offsets lie within ±14:00; ±18:00 is the usual parser limit. */
function parseOffset(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 18 || minutes > 59 || (digits.length !== 2 && digits.length !== 4)) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Lower-case host name; people paste URLs ("https://www.acme.com/pricing"), so those are reduced to the host. */
export function domain(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail(`domain must be a host name like acme.com, not ${show(value)}`);
  let host = value.toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#].*$/, '');
  if (host.includes('@')) return fail(`domain "${value}" looks like an e-mail address; give only the domain, like acme.com`);
  host = host.replace(/:\d+$/, '').replace(/\.$/, '').replace(/^www\.(?=[^.]+\.[^.])/, '');
  if (/[^\x00-\x7f]/.test(host)) host = toPunycode(host) ?? host;
  return HOSTNAME.test(host) ? ok(host) : fail(`domain "${value}" is not a host name like acme.com`);
}

/** Internationalised names (münchen.de) are stored in their ASCII form, as DNS and e-mail use them. */
function toPunycode(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

/** Free text, normalised to lower-case kebab so "Mid Market", "mid_market" and "MID-MARKET" match one model. */
export function segment(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail(`segment must be text like enterprise, mid-market or smb, not ${show(value)}`);
  const name = normaliseSegment(value);
  return name.ok ? ok(name.value) : fail(name.error);
}

/** Slack ids; the mention forms people copy from messages (<@U…|name>, <#C…|name>) are unwrapped. */
export const slackId = (label: string, what: 'channel' | 'user') => (value: unknown): Parsed<string> => {
  const pattern = what === 'channel' ? /^[CG][A-Z0-9]{8,}$/ : /^[UW][A-Z0-9]{8,}$/;
  const example = what === 'channel' ? 'C0123ABCDE' : 'U0123ABCDE';
  if (typeof value !== 'string') return fail(`${label} must be a Slack ${what} ID like ${example}, not ${show(value)}`);
  const id = /^<[#@]([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value)?.[1] ?? value;
  if (pattern.test(id)) return ok(id);
  const base = `${label} "${value}" is not a Slack ${what} ID like ${example}`;
  if (/^[#@]/.test(value)) return fail(`${base} (that is a name; copy the ID from the ${what === 'channel' ? "channel's" : "member's"} details in Slack)`);
  if (pattern.test(id.toUpperCase())) return fail(`${base} (Slack IDs are upper-case: ${id.toUpperCase()})`);
  return fail(base);
};

/** A metric key; when a tidied spelling would be valid, the message suggests it. */
export function metricKey(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail(`metric must be a metric key like logins_30d, not ${show(value)}`);
  if (METRIC_KEY_PATTERN.test(value)) return ok(value);
  const tidied = value.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const hint = METRIC_KEY_PATTERN.test(tidied) ? ` (did you mean "${tidied}"?)` : '';
  return fail(`metric "${value}" is not a metric key like logins_30d: lower-case letters, digits and underscores, starting with a letter${hint}`);
}
