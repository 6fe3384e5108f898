// Measures whose value the calendar decides (days to renewal, tenure, contract
// age) separate churned from renewed accounts by construction — how the rows
// were dated, not how the customer behaved — so they are never fitted. Found
// by name and category, and by the data: a measure that moves in lock-step
// with a calendar quantity of the row is flagged whatever it is called.

export interface CalendarQuantities {
  /** Days from the anchor to the account's renewal date as recorded on the account today. */
  daysToRecordedRenewal: number | null;
  /** Days from customer_since to the anchor. */
  tenureDays: number | null;
  /** The anchor date as a day number (a value that merely grows with time). */
  anchorDay: number;
}

const CALENDAR_KEYS = /^(days_to_renewal|days_until_renewal|tenure.*|customer_age.*|contract_age.*|months_as_customer|days_as_customer|account_age.*)$/;

/** Correlation above this with a calendar quantity marks a measure as calendar-determined. */
export const CALENDAR_CORRELATION = 0.98;

export function calendarReasonByName(metricKey: string, category: string | null): string | null {
  if (CALENDAR_KEYS.test(metricKey)) return 'its value is set by the calendar (dates of the contract), not by the customer';
  if (category === 'lifecycle') return 'a lifecycle measure: its value is set by contract dates, not by the customer';
  return null;
}

export function pearson(a: readonly (number | null)[], b: readonly (number | null)[], minPairs = 10): number | null {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    n += 1;
    sa += x;
    sb += y;
  }
  if (n < minPairs) return null;
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    cov += (x - ma) * (y - mb);
    va += (x - ma) ** 2;
    vb += (y - mb) ** 2;
  }
  if (va <= 0 || vb <= 0) return null;
  return cov / Math.sqrt(va * vb);
}

/** Why the values of one measure look calendar-determined, or null. */
export function calendarReasonByData(values: readonly (number | null)[], calendar: readonly CalendarQuantities[]): string | null {
  const checks: [string, (c: CalendarQuantities) => number | null][] = [
    ['the days left to the renewal date', (c) => c.daysToRecordedRenewal],
    ['the account\'s tenure', (c) => c.tenureDays],
    ['the date itself', (c) => c.anchorDay],
  ];
  for (const [what, pick] of checks) {
    const r = pearson(values, calendar.map(pick), 20);
    if (r !== null && Math.abs(r) >= CALENDAR_CORRELATION) return `its values follow ${what} (r = ${r.toFixed(2)}): set by the calendar, not by the customer`;
  }
  return null;
}
