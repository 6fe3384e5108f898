// A minimal PNG reader for tests: checks the signature, reads IHDR and inflates
// the image data, so a test knows the bytes really are a PNG of that size.
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** Filtered scanlines, inflated: height × (1 + width × bytes per pixel). */
  raw: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(data: Buffer): DecodedPng {
  if (!data.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colourType: number } | null = null;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.subarray(offset + 4, offset + 8).toString('latin1');
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body.readUInt8(8), colourType: body.readUInt8(9) };
    if (type === 'IDAT') idat.push(body);
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header) throw new Error('not a PNG: no IHDR');
  return { ...header, raw: inflateSync(Buffer.concat(idat)) };
}

/** Bytes per pixel of an 8-bit PNG colour type (0 grey, 2 RGB, 4 grey+alpha, 6 RGBA). */
export function bytesPerPixel(colourType: number): number {
  return ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colourType] ?? Number.NaN;
}
