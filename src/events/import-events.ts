// `import events FILE.ndjson`: Segment-format messages, one per line (history
// backfill), streamed in batches through the same intake as the /v1 API, so
// de-duplication and per-message refusals are the same. A line is never held
// whole past the message limit: an oversized line is skipped as it streams.
import type { Prisma } from '../db/database.js';
import { ingestSegmentMessages } from './ingest-messages.js';
import { MAX_MESSAGE_BYTES } from './segment-message.js';

const BATCH_MESSAGES = 1_000;

export interface EventImportSummary {
  lines: number;
  accepted: number;
  duplicates: number;
  refused: number;
  /** Line number (1-based) and reason, for every refused line. */
  errors: { line: number; error: string }[];
}

type Line = { line: number; text: string } | { line: number; tooLong: true };

/** Splits a byte stream into lines without keeping more than the limit of any line. */
export async function* readLines(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  const finish = (): Line => {
    line += 1;
    const out: Line = tooLong ? { line, tooLong: true } : { line, text: Buffer.concat(parts).toString('utf8').replace(/\r$/, '') };
    parts = [];
    size = 0;
    tooLong = false;
    return out;
  };
  for await (const chunk of source) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10)) {
      if (!tooLong) parts.push(buf.subarray(0, nl));
      buf = buf.subarray(nl + 1);
      yield finish();
    }
    if (buf.length > 0 && !tooLong) {
      size += buf.length;
      if (size > maxBytes) {
        tooLong = true;
        parts = [];
      } else parts.push(Buffer.from(buf));
    }
  }
  if (size > 0 || tooLong || parts.some((p) => p.length > 0)) yield finish();
}

export async function importEvents(
  prisma: Prisma,
  source: { id: number },
  input: AsyncIterable<Buffer | string>,
  now: () => Date,
  onProgress?: (summary: EventImportSummary) => void,
): Promise<EventImportSummary> {
  const summary: EventImportSummary = { lines: 0, accepted: 0, duplicates: 0, refused: 0, errors: [] };
  let batch: { line: number; message: unknown }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await ingestSegmentMessages({ prisma }, source, batch.map((b) => b.message), now());
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    for (const r of result.results) {
      if (r.status !== 'refused') continue;
      summary.refused += 1;
      summary.errors.push({ line: batch[r.index]?.line ?? 0, error: r.reason });
    }
    batch = [];
    onProgress?.(summary);
  };
  const refuse = (line: number, error: string) => {
    summary.refused += 1;
    summary.errors.push({ line, error });
  };
  for await (const item of readLines(input, MAX_MESSAGE_BYTES)) {
    summary.lines = item.line;
    if ('tooLong' in item) {
      refuse(item.line, 'the message is larger than the 32 KB limit per message');
      continue;
    }
    if (item.text.trim() === '') continue;
    let message: unknown;
    try {
      message = JSON.parse(item.text);
    } catch {
      refuse(item.line, 'not valid JSON');
      continue;
    }
    batch.push({ line: item.line, message });
    if (batch.length >= BATCH_MESSAGES) await flush();
  }
  await flush();
  summary.errors.sort((a, b) => a.line - b.line);
  return summary;
}

/** The source imported events belong to: a named active source, or "import" (made on first use; it has no write key). */
export async function importSource(prisma: Prisma, name: string | undefined): Promise<{ id: number; name: string } | null> {
  if (name !== undefined) {
    return prisma.eventSource.findFirst({ where: { revokedAt: null, name: { equals: name, mode: 'insensitive' } }, select: { id: true, name: true } });
  }
  const existing = await prisma.eventSource.findFirst({ where: { revokedAt: null, name: 'import' }, select: { id: true, name: true } });
  return existing ?? prisma.eventSource.create({ data: { name: 'import', kind: 'segment' }, select: { id: true, name: true } });
}
