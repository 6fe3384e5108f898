// Streaming CSV parsing: records are validated one by one and handed out in
// batches, so a 1 GB file never needs 1 GB of memory. Line numbers are the
// physical line a record starts on, as an editor shows it.
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { ACCOUNT_COLUMNS, METRIC_COLUMNS, accountRowSchema, describeIssue, metricRowSchema, type AccountRow, type MetricRow } from './row-schemas.js';

export type CsvKind = 'accounts' | 'metrics';
export type RowFor<K extends CsvKind> = K extends 'accounts' ? AccountRow : MetricRow;

export class CsvHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvHeaderError';
  }
}

export interface CsvBatch<R> {
  valid: { line: number; row: R }[];
  errors: { line: number; error: string }[];
  /** Optional columns the header carries (accounts: only these are written). */
  columns: string[];
}

const REQUIRED: Record<CsvKind, readonly string[]> = { accounts: ['external_id', 'name'], metrics: METRIC_COLUMNS };
const KNOWN: Record<CsvKind, readonly string[]> = { accounts: ACCOUNT_COLUMNS, metrics: METRIC_COLUMNS };
export const MAX_RECORD_BYTES = 1_048_576;

export function checkHeader(kind: CsvKind, header: readonly string[]): string[] {
  const columns = header.map((h) => h.trim().toLowerCase());
  if (columns.length === 0 || (columns.length === 1 && columns[0] === '')) throw new CsvHeaderError('the file is empty: a header row is required');
  const unknown = columns.filter((c) => !KNOWN[kind].includes(c));
  if (unknown.length > 0) throw new CsvHeaderError(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} in the header; ${kind} files have: ${KNOWN[kind].join(',')}`);
  const missing = REQUIRED[kind].filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new CsvHeaderError(`missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} in the header`);
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate) throw new CsvHeaderError(`column "${duplicate}" appears twice in the header`);
  return columns;
}

export async function* parseCsvInBatches<K extends CsvKind>(input: Readable, kind: K, batchSize: number): AsyncGenerator<CsvBatch<RowFor<K>>> {
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  const schema = kind === 'accounts' ? accountRowSchema : metricRowSchema;
  let columns: string[] | null = null;
  let batch: CsvBatch<RowFor<K>> = { valid: [], errors: [], columns: [] };
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = record.info.lines - countNewlines(record.record);
      if (columns === null) {
        columns = checkHeader(kind, record.record);
        batch.columns = columns;
        continue;
      }
      if (record.record.length !== columns.length) {
        batch.errors.push({ line, error: `expected ${columns.length} fields, found ${record.record.length} (an unquoted comma or a missing field?)` });
      } else {
        const raw: Record<string, string> = {};
        columns.forEach((c, i) => (raw[c] = record.record[i] ?? ''));
        const parsed = schema.safeParse(raw);
        if (parsed.success) batch.valid.push({ line, row: parsed.data as RowFor<K> });
        else batch.errors.push({ line, error: describeIssue(parsed.error) });
      }
      if (batch.valid.length + batch.errors.length >= batchSize) {
        yield batch;
        batch = { valid: [], errors: [], columns };
      }
    }
  } catch (error) {
    if (error instanceof CsvHeaderError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new CsvHeaderError(`the file could not be read as CSV: ${detail}`);
  }
  if (columns === null) throw new CsvHeaderError('the file is empty: a header row is required');
  if (batch.valid.length + batch.errors.length > 0) yield batch;
}

/** info.lines is the line a record ENDS on; quoted newlines move the start up. */
function countNewlines(fields: readonly string[]): number {
  let n = 0;
  for (const field of fields) for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) n += 1;
  return n;
}
