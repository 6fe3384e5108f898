// `import accounts|metrics|outcomes FILE.csv`: stream → validate → write, batch by batch,
// each batch in one transaction, so a failure mid-file leaves whole batches only.
import type { Prisma } from '../db/database.js';
import { ingestOutcomes } from './ingest-outcomes.js';
import { ingestAccounts, ingestMetrics, type BatchOutcome } from './ingest-rows.js';
import { parseCsvInBatches, type CsvBatch, type CsvKind, type CsvSource } from './parse-csv.js';
import { DuplicateTracker, type Superseded } from './track-duplicates.js';

export interface ImportSummary {
  rowsRead: number;
  /** Rows whose values are now stored. */
  loaded: number;
  inserted: number;
  updated: number;
  rejected: number;
  /** The first MAX_LISTED rejections, by line. */
  errors: { line: number; error: string }[];
  /** Rows replaced by a later row of the file with the same key (the later row wins). */
  superseded: number;
  /** The first MAX_LISTED of them, by line. */
  supersededRows: Superseded<number>[];
  /** Accounts whose stored data the import changed: what to rescore when it finishes. */
  accountIds: Set<number>;
  /** Notes that are not errors (a segment without a model), each once. */
  notes: string[];
}

const BATCH = 5_000;
const MAX_LISTED = 1_000;

/**
 * Writing a batch failed (the database went away, a deadline passed). Batches
 * are all-or-nothing: every row before `line` is in, nothing from `line` on.
 * Re-running the same file is safe: accounts update by external_id, and a
 * re-sent observation replaces its value.
 */
export class ImportInterruptedError extends Error {
  constructor(
    readonly line: number,
    readonly summary: ImportSummary,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? driverMessage(options.cause.message) : String(options.cause);
    super(
      `the import stopped at line ${line} because the database failed (${reason}). ` +
        `The ${summary.loaded} row(s) before line ${line} were loaded; nothing from line ${line} on was written. ` +
        'Run the same import again once the database is back: rows already loaded are updated, not duplicated.',
      options,
    );
    this.name = 'ImportInterruptedError';
  }
}

/** The driver's own words: Prisma wraps them as "… Message: `…`" on the last line of its report. */
function driverMessage(message: string): string {
  const lines = message.trim().split('\n');
  const last = (lines[lines.length - 1] ?? message).trim();
  return (/Message: `(.+)`$/.exec(last)?.[1] ?? last).slice(0, 300);
}

export async function importCsv(prisma: Prisma, kind: CsvKind, input: CsvSource, onProgress?: (summary: ImportSummary) => void): Promise<ImportSummary> {
  const summary: ImportSummary = { rowsRead: 0, loaded: 0, inserted: 0, updated: 0, rejected: 0, errors: [], superseded: 0, supersededRows: [], accountIds: new Set(), notes: [] };
  const tracker = new DuplicateTracker<number>();
  const reject = (line: number, error: string) => {
    summary.rejected += 1;
    if (summary.errors.length < MAX_LISTED) summary.errors.push({ line, error });
  };
  const record = (read: CsvBatch<unknown>, outcome: BatchOutcome<number>) => {
    summary.rowsRead += read.valid.length + read.errors.length;
    for (const e of read.errors) reject(e.line, e.error);
    summary.loaded += outcome.loaded;
    summary.inserted += outcome.inserted;
    summary.updated += outcome.updated;
    for (const e of outcome.errors) reject(e.at, e.error);
    summary.superseded += outcome.superseded.length;
    summary.supersededRows.push(...outcome.superseded.slice(0, MAX_LISTED - summary.supersededRows.length));
    for (const id of outcome.accountIds) summary.accountIds.add(id);
    for (const note of outcome.notes ?? []) if (!summary.notes.includes(note)) summary.notes.push(note);
    onProgress?.(summary);
  };
  const write = async <R>(batch: CsvBatch<R>, ingest: (rows: { at: number; row: R }[]) => Promise<BatchOutcome<number>>) => {
    const rows = batch.valid.map((v) => ({ at: v.line, row: v.row }));
    try {
      return await ingest(rows);
    } catch (error) {
      const firstLine = Math.min(...rows.map((r) => r.at), ...batch.errors.map((e) => e.line));
      throw new ImportInterruptedError(firstLine, { ...summary, errors: [...summary.errors].sort((a, b) => a.line - b.line) }, { cause: error });
    }
  };
  if (kind === 'accounts') {
    for await (const batch of parseCsvInBatches(input, 'accounts', BATCH)) {
      record(batch, await write(batch, (rows) => ingestAccounts(prisma, rows, tracker)));
    }
  } else if (kind === 'outcomes') {
    for await (const batch of parseCsvInBatches(input, 'outcomes', BATCH)) {
      record(batch, await write(batch, (rows) => ingestOutcomes(prisma, rows, 'csv', tracker)));
    }
  } else {
    for await (const batch of parseCsvInBatches(input, 'metrics', BATCH)) {
      record(batch, await write(batch, (rows) => ingestMetrics(prisma, rows, 'csv', tracker)));
    }
  }
  summary.errors.sort((a, b) => a.line - b.line);
  summary.supersededRows.sort((a, b) => a.at - b.at);
  return summary;
}
