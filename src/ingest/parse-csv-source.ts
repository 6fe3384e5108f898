// What sits in front of csv-parse: any byte source becomes a stream, and CRLF
// becomes LF. The second is for line numbers: csv-parse 7 counts a CRLF inside a
// quoted field as two lines (it sees CR and LF separately there, though not at a
// record's end), so one Excel cell with a line break would shift every later
// line number by one. Cell text keeps its line breaks, as LF.
import { Readable, Transform, type TransformCallback } from 'node:stream';

export type CsvSource = NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>;

const CR = 0x0d;
const LF = 0x0a;
const CR_BYTE = Buffer.from([CR]);

export function toReadable(source: CsvSource): Readable {
  return source instanceof Readable ? source : Readable.from(source);
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), 'utf8');
}

/**
 * CRLF → LF, byte-wise (CR and LF never occur inside a UTF-8 multi-byte
 * sequence). `halt()` stops taking input: the chunk in hand is never
 * acknowledged, so backpressure stops the source too, rather than a 1 GB file
 * being read to its end after the parser has already given up on it.
 */
export class CrlfNormaliser extends Transform {
  // A CR at the very end of a chunk may be the first half of a CRLF split across chunks.
  private heldCr = false;
  private halted = false;

  halt(): void {
    this.halted = true;
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.halted) return;
    const input = toBuffer(chunk);
    if (input.length === 0) return callback();
    const parts: Buffer[] = [];
    if (this.heldCr && input[0] !== LF) parts.push(CR_BYTE);
    this.heldCr = false;
    let from = 0;
    for (let at = input.indexOf(CR); at !== -1; at = input.indexOf(CR, at + 1)) {
      if (at === input.length - 1) {
        parts.push(input.subarray(from, at));
        from = input.length;
        this.heldCr = true;
      } else if (input[at + 1] === LF) {
        parts.push(input.subarray(from, at));
        from = at + 1;
      }
    }
    if (from < input.length) parts.push(input.subarray(from));
    if (parts.length === 0) return callback();
    callback(null, parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.heldCr && !this.halted ? CR_BYTE : undefined);
  }
}

/**
 * Line breaks inside a record's fields, counted as csv-parse counts lines once
 * CRLF is gone (each CR or LF is one). Only quoted fields can hold them.
 */
export function countLineBreaks(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    // Native scans first: almost no field has a line break.
    if (field.indexOf('\n') === -1 && field.indexOf('\r') === -1) continue;
    for (let i = 0; i < field.length; i += 1) {
      const code = field.charCodeAt(i);
      if (code === LF || code === CR) count += 1;
    }
  }
  return count;
}
