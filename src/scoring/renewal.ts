// Days to renewal, counted the same way everywhere (the scored measure, the
// breakdown, alert rules and messages): whole days from the UTC day of `at`
// to the renewal date, so the count changes at midnight UTC and a breakdown
// never says "in 8 days" beside a measure of 9.
const DAY_MS = 86_400_000;

export function startOfUtcDay(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS) * DAY_MS;
}

export function daysToRenewal(renewalDate: Date, at: Date): number {
  return Math.round((renewalDate.getTime() - startOfUtcDay(at)) / DAY_MS);
}
