// API bodies: a JSON array of items, each validated like a CSV row.
import { accountRowSchema, describeIssue, metricRowSchema, type AccountRow, type MetricRow } from './row-schemas.js';

export const MAX_API_ITEMS = 10_000;

export type ParsedBody<R> =
  | { kind: 'ok'; valid: { at: number; row: R }[]; errors: { at: number; error: string }[] }
  | { kind: 'not-array'; error: string }
  | { kind: 'too-many'; error: string };

function parseBody<R>(body: unknown, what: string, parse: (item: unknown) => { ok: true; row: R } | { ok: false; error: string }): ParsedBody<R> {
  if (!Array.isArray(body)) return { kind: 'not-array', error: `expected a JSON array of ${what}` };
  if (body.length > MAX_API_ITEMS) return { kind: 'too-many', error: `at most ${MAX_API_ITEMS} items per call (got ${body.length})` };
  const valid: { at: number; row: R }[] = [];
  const errors: { at: number; error: string }[] = [];
  body.forEach((item: unknown, at) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ at, error: 'expected an object' });
      return;
    }
    const result = parse(item);
    if (result.ok) valid.push({ at, row: result.row });
    else errors.push({ at, error: result.error });
  });
  return { kind: 'ok', valid, errors };
}

export function parseAccountsBody(body: unknown): ParsedBody<AccountRow> {
  return parseBody(body, 'accounts', (item) => {
    const r = accountRowSchema.safeParse(item);
    return r.success ? { ok: true, row: r.data } : { ok: false, error: describeIssue(r.error) };
  });
}

export function parseMetricsBody(body: unknown): ParsedBody<MetricRow> {
  return parseBody(body, 'metric observations {account, metric, value, observed_at}', (item) => {
    const r = metricRowSchema.safeParse(item);
    return r.success ? { ok: true, row: r.data } : { ok: false, error: describeIssue(r.error) };
  });
}
