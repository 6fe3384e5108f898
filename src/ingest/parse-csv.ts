// Streaming CSV parsing: each record is validated as it streams past and handed
// on, one by one or in batches, so a 1 GB file never needs 1 GB of memory.
// Line numbers are the physical line a record starts on, as an editor shows it.
// A malformed record is one row error; only a header problem or a record the
// parser cannot get past (longer than the size limit) stops the file.
import { pipeline } from 'node:stream';
import { parse, type CsvError, type Parser } from 'csv-parse';
import type { z } from 'zod';
import { checkHeader, CsvFileError, CSV_COLUMNS, type CsvKind } from './parse-csv-header.js';
import { countLineBreaks, CrlfNormaliser, toReadable, type CsvSource } from './parse-csv-source.js';
import { accountRowSchema, describeIssue, metricRowSchema, outcomeRowSchema, type AccountRow, type MetricRow, type OutcomeRow } from './row-schemas.js';

export { checkHeader, CsvFileError, CsvHeaderError, type CsvKind } from './parse-csv-header.js';
export type { CsvSource } from './parse-csv-source.js';

interface RowsByKind {
  accounts: AccountRow;
  metrics: MetricRow;
  outcomes: OutcomeRow;
}
export type RowFor<K extends CsvKind> = RowsByKind[K];

const SCHEMAS: { [K in CsvKind]: z.ZodType<RowsByKind[K]> } = { accounts: accountRowSchema, metrics: metricRowSchema, outcomes: outcomeRowSchema };

/** `line` is where the record starts; `endLine` differs when a quoted field spans lines. */
export type CsvRowResult<R> = { line: number; endLine: number; ok: true; row: R } | { line: number; endLine: number; ok: false; error: string };

export interface CsvBatch<R> {
  valid: { line: number; row: R }[];
  errors: { line: number; error: string }[];
  /** The header's columns, normalised (accounts: only these fields are written). */
  columns: string[];
  /** The last physical line read so far, for progress reports. */
  linesRead: number;
}

const REPLACEMENT_CHARACTER = '\uFFFD';

/** A guard against a wrong separator or a runaway quote turning the whole file into one record. */
export const MAX_RECORD_BYTES = 1_048_576;

export interface CsvParseOptions {
  maxRecordBytes?: number;
  onHeader?: (columns: string[]) => void;
}

export async function* parseCsvRows<K extends CsvKind>(source: CsvSource, kind: K, options: CsvParseOptions = {}): AsyncGenerator<CsvRowResult<RowFor<K>>> {
  const maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  let failed = false;
  const normaliser = new CrlfNormaliser();
  const parser: Parser = parse({
    bom: true,
    // Lines are counted here, not with csv-parse's `info` (which doubles its
    // cost): blank lines come through as empty records and each record spans
    // 1 + the line breaks in its fields.
    skip_empty_lines: false,
    // Column counts are checked here, per row, so one short row is one error rather than the end of the import.
    relax_column_count: true,
    // A stray quote inside a value (5" screen) stays literal instead of swallowing the following rows.
    relax_quotes: true,
    max_record_size: maxRecordBytes,
    // A parser error would destroy the stream, and with it the records parsed
    // ahead but not yet read (even the header, when the first chunk is short).
    // So problems travel in the stream, in order, as events; after a failure the
    // source is halted and the parser refuses each chunk still in flight at once.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (failed) return undefined;
      failed = error?.code !== 'CSV_QUOTE_NOT_CLOSED';
      const event: ParserEvent = {
        event: failed ? 'failure' : 'unclosed-quote',
        code: error?.code ?? 'CSV_UNKNOWN_ERROR',
        message: error?.message ?? 'unknown error',
        lines: numberIn(error, 'lines'),
      };
      parser.push(event);
      if (failed) normaliser.halt();
      return undefined;
    },
  });
  // Source failures reach the loop below through the parser; the callback is
  // there so pipeline does not report them a second time.
  pipeline(toReadable(source), normaliser, parser, () => undefined);
  const schema = SCHEMAS[kind];
  let columns: string[] | null = null;
  // The physical line the next record starts on.
  let nextLine = 1;
  for await (const chunk of parser) {
    const parsed: unknown = chunk;
    if (isParserEvent(parsed)) {
      const start = nextLine;
      const end = Math.max(start, parsed.lines);
      if (columns === null) {
        const reason = parsed.event === 'unclosed-quote' ? 'has a quote that is never closed' : `could not be read as CSV: ${parsed.message}`;
        throw new CsvFileError(`the header row ${reason}`, 1);
      }
      if (parsed.event === 'failure') {
        const detail =
          parsed.code === 'CSV_MAX_RECORD_SIZE'
            ? `the record there is longer than ${formatBytes(maxRecordBytes)} (is the file comma-separated, with one record per line?)`
            : parsed.message;
        throw new CsvFileError(`the file could not be read as CSV from line ${start} on: ${detail}`, start, 'unreadable');
      }
      const span = start === end ? `line ${start}` : `lines ${start}–${end}`;
      yield { line: start, endLine: end, ok: false, error: `a quote opened on line ${start} is never closed, so ${span} could not be read (a quote inside a quoted value is written twice: "")` };
      continue;
    }
    if (!isRecord(parsed)) throw new Error('csv-parse produced a record of an unexpected shape');
    const line = nextLine;
    const endLine = line + countLineBreaks(parsed);
    nextLine = endLine + 1;
    // Blank lines, and spreadsheets' emptied rows (",,,,"), are no rows at all.
    if (parsed.every((field) => field.trim() === '')) continue;
    if (columns === null) {
      columns = checkHeader(kind, parsed);
      options.onHeader?.(columns);
      continue;
    }
    yield validateRecord(schema, columns, parsed, line, endLine);
  }
  if (columns === null) throw new CsvFileError(`the file is empty: a header row is required (${CSV_COLUMNS[kind].join(',')})`, 1);
}

/** Rows in batches for bulk writes: valid rows keep their line, so write-time errors can name it too. */
export async function* parseCsvInBatches<K extends CsvKind>(
  source: CsvSource,
  kind: K,
  batchSize: number,
  options: Omit<CsvParseOptions, 'onHeader'> = {},
): AsyncGenerator<CsvBatch<RowFor<K>>> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  let batch: CsvBatch<RowFor<K>> = { valid: [], errors: [], columns: [], linesRead: 1 };
  const onHeader = (columns: string[]) => {
    batch.columns = columns;
  };
  try {
    for await (const result of parseCsvRows(source, kind, { ...options, onHeader })) {
      if (result.ok) batch.valid.push({ line: result.line, row: result.row });
      else batch.errors.push({ line: result.line, error: result.error });
      batch.linesRead = result.endLine;
      if (batch.valid.length + batch.errors.length >= batchSize) {
        yield batch;
        batch = { valid: [], errors: [], columns: batch.columns, linesRead: batch.linesRead };
      }
    }
  } catch (error) {
    // The rows before a record the parser cannot get past are good rows: hand
    // them out before the error, or they would be silently dropped with it.
    if (error instanceof CsvFileError && batch.valid.length + batch.errors.length > 0) yield batch;
    throw error;
  }
  if (batch.valid.length + batch.errors.length > 0) yield batch;
}

function validateRecord<R>(schema: z.ZodType<R>, columns: readonly string[], record: readonly string[], line: number, endLine: number): CsvRowResult<R> {
  if (record.length !== columns.length) {
    const hint = record.length > columns.length ? 'quote values that contain commas, e.g. "1,200"' : 'a missing field?';
    const span = endLine > line ? `; the record runs from line ${line} to ${endLine}, so a quote may be misplaced` : '';
    return { line, endLine, ok: false, error: `expected ${columns.length} fields, found ${record.length} (${hint})${span}` };
  }
  // csv-parse decodes bytes that are not UTF-8 (a Latin-1 or Windows-1252 export)
  // as U+FFFD; storing that would turn "Café" into "Caf\uFFFD" for good.
  const undecodable = columns.filter((_, i) => record[i]?.includes(REPLACEMENT_CHARACTER));
  if (undecodable.length > 0) {
    return { line, endLine, ok: false, error: `${undecodable.join(', ')} ${undecodable.length === 1 ? 'has' : 'have'} bytes that are not UTF-8 text (the file looks like Latin-1 or Windows-1252): save it as UTF-8, e.g. "CSV UTF-8" in Excel` };
  }
  const raw: Record<string, string> = {};
  columns.forEach((column, i) => {
    raw[column] = record[i] ?? '';
  });
  const result = schema.safeParse(raw);
  return result.success ? { line, endLine, ok: true, row: result.data } : { line, endLine, ok: false, error: describeIssue(result.error) };
}

/** A problem csv-parse reported through on_skip, with the line it had reached. */
interface ParserEvent {
  event: 'unclosed-quote' | 'failure';
  code: string;
  message: string;
  lines: number;
}

function isParserEvent(value: unknown): value is ParserEvent {
  return typeof value === 'object' && value !== null && 'event' in value;
}

/** csv-parse's stream is typed `any`; a record is an array of strings (no casting is configured). */
function isRecord(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((field) => typeof field === 'string');
}

/** csv-parse copies its position counters onto its errors as untyped properties. */
function numberIn(error: CsvError | undefined, key: 'lines'): number {
  const value = error?.[key];
  return typeof value === 'number' ? value : 0;
}

function formatBytes(bytes: number): string {
  return bytes % 1_048_576 === 0 ? `${bytes / 1_048_576} MiB` : `${bytes.toLocaleString('en')} bytes`;
}
