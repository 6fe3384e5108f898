// `import accounts|metrics FILE.csv`: stream → validate → write, batch by batch.
import type { Readable } from 'node:stream';
import type { Prisma } from '../db/database.js';
import { ingestAccounts, ingestMetrics, presentFields, type BatchOutcome } from './ingest-rows.js';
import { parseCsvInBatches, type CsvBatch, type CsvKind } from './parse-csv.js';

export interface ImportSummary {
  rowsRead: number;
  loaded: number;
  inserted: number;
  updated: number;
  rejected: number;
  /** The first MAX_LISTED rejections, by line. */
  errors: { line: number; error: string }[];
}

const BATCH = 5_000;
const MAX_LISTED = 1_000;

export async function importCsv(prisma: Prisma, kind: CsvKind, input: Readable, onProgress?: (summary: ImportSummary) => void): Promise<ImportSummary> {
  const summary: ImportSummary = { rowsRead: 0, loaded: 0, inserted: 0, updated: 0, rejected: 0, errors: [] };
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
    onProgress?.(summary);
  };
  if (kind === 'accounts') {
    for await (const batch of parseCsvInBatches(input, 'accounts', BATCH)) {
      record(batch, await ingestAccounts(prisma, batch.valid.map((v) => ({ at: v.line, row: v.row })), presentFields(batch.columns)));
    }
  } else {
    for await (const batch of parseCsvInBatches(input, 'metrics', BATCH)) {
      record(batch, await ingestMetrics(prisma, batch.valid.map((v) => ({ at: v.line, row: v.row })), 'csv'));
    }
  }
  summary.errors.sort((a, b) => a.line - b.line);
  return summary;
}
