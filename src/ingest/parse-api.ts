// API bodies: a JSON array of items, each validated exactly like a CSV row, so
// the API and the import command accept and refuse the same things.
import type { z } from 'zod';
import { accountRowSchema, describeIssue, metricRowSchema, outcomeRowSchema, ACCOUNT_COLUMNS, METRIC_COLUMNS, OUTCOME_COLUMNS, type AccountRow, type MetricRow, type OutcomeRow } from './row-schemas.js';

/** The documented per-call limit; beyond it the route answers 413. */
export const MAX_API_ITEMS = 10_000;

/** `at` is the item's index in the array. */
export type ParsedBody<R> =
  | { kind: 'ok'; valid: { at: number; row: R }[]; errors: { at: number; error: string }[] }
  | { kind: 'not-array'; error: string }
  | { kind: 'too-many'; error: string };

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function parseBody<R>(body: unknown, what: string, fields: readonly string[], schema: z.ZodType<R>, maxItems: number): ParsedBody<R> {
  if (!Array.isArray(body)) return { kind: 'not-array', error: `expected a JSON array of ${what}` };
  // Checked before any item is validated: an oversize call costs nothing.
  if (body.length > maxItems) return { kind: 'too-many', error: `at most ${maxItems} items per call (got ${body.length})` };
  const valid: { at: number; row: R }[] = [];
  const errors: { at: number; error: string }[] = [];
  body.forEach((item: unknown, at) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ at, error: `expected an object with fields ${fields.join(', ')}, got ${describeJsonType(item)}` });
      return;
    }
    const result = schema.safeParse(item);
    if (result.success) valid.push({ at, row: result.data });
    else errors.push({ at, error: describeIssue(result.error) });
  });
  return { kind: 'ok', valid, errors };
}

export function parseAccountsBody(body: unknown, maxItems = MAX_API_ITEMS): ParsedBody<AccountRow> {
  return parseBody(body, 'accounts', ACCOUNT_COLUMNS, accountRowSchema, maxItems);
}

export function parseMetricsBody(body: unknown, maxItems = MAX_API_ITEMS): ParsedBody<MetricRow> {
  return parseBody(body, 'metric observations {account, metric, value, observed_at}', METRIC_COLUMNS, metricRowSchema, maxItems);
}

export function parseOutcomesBody(body: unknown, maxItems = MAX_API_ITEMS): ParsedBody<OutcomeRow> {
  return parseBody(body, 'renewal outcomes {account, renewal_date, outcome, arr}', OUTCOME_COLUMNS, outcomeRowSchema, maxItems);
}
