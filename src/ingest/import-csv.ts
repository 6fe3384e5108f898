// `import accounts|metrics FILE.csv`: stream → validate → write, batch by batch.
import type { Readable } from 'node:stream';
import type { Prisma } from '../db/database.js';
import { ingestAccounts, ingestMetrics, type BatchOutcome } from './ingest-rows.js';
import { parseCsvInBatches, type CsvBatch, type CsvKind } from './parse-csv.js';
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
}

const BATCH = 5_000;
const MAX_LISTED = 1_000;

export async function importCsv(prisma: Prisma, kind: CsvKind, input: Readable, onProgress?: (summary: ImportSummary) => void): Promise<ImportSummary> {
  const summary: ImportSummary = { rowsRead: 0, loaded: 0, inserted: 0, updated: 0, rejected: 0, errors: [], superseded: 0, supersededRows: [] };
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
    onProgress?.(summary);
  };
  if (kind === 'accounts') {
    for await (const batch of parseCsvInBatches(input, 'accounts', BATCH)) {
      record(batch, await ingestAccounts(prisma, batch.valid.map((v) => ({ at: v.line, row: v.row })), tracker));
    }
  } else {
    for await (const batch of parseCsvInBatches(input, 'metrics', BATCH)) {
      record(batch, await ingestMetrics(prisma, batch.valid.map((v) => ({ at: v.line, row: v.row })), 'csv', tracker));
    }
  }
  summary.errors.sort((a, b) => a.line - b.line);
  summary.supersededRows.sort((a, b) => a.at - b.at);
  return summary;
}
