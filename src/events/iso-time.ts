// ISO 8601 times as Segment's clients send them.

// ISO 8601 date-time (offset optional, read as UTC) or a calendar date.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

// What Segment's clients send (Date#toISOString): Date.parse reads it as it is,
// without the rewriting below — a measurable share of intake time at 1,000 messages a batch.
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** An ISO 8601 time as a Date, or null when it is not one. */
export function parseIsoTimestamp(value: string): Date | null {
  if (CANONICAL.test(value)) return dateOrNull(Date.parse(value));
  if (!ISO_8601.test(value)) return null;
  const hasZone = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(value.slice(10));
  const text = value.length === 10 ? `${value}T00:00:00Z` : hasZone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`;
  return dateOrNull(Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
}

function dateOrNull(ms: number): Date | null {
  return Number.isNaN(ms) ? null : new Date(ms);
}

