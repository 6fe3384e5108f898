import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { countLineBreaks, CrlfNormaliser } from '../../../src/ingest/parse-csv-source.js';

async function normalise(chunks: string[]): Promise<string> {
  return text(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new CrlfNormaliser()));
}

describe('CrlfNormaliser', () => {
  it.each([
    [['a\r\nb\r\n'], 'a\nb\n'],
    [['a\r', '\nb'], 'a\nb'],
    [['a\r', 'b'], 'a\rb'],
    [['a\r'], 'a\r'],
    [['a\r', '', '\nb'], 'a\nb'],
    [['\r', '\r', '\n'], '\r\n'],
    [['\r\r\n\n'], '\r\n\n'],
    [['no breaks'], 'no breaks'],
    [['é\r\n', '😀\r', '\n'], 'é\n😀\n'],
  ])('turns %j into %j', async (chunks, expected) => {
    expect(await normalise(chunks)).toBe(expected);
  });

  it('stops taking input once halted, so the source is not read on', async () => {
    const normaliser = new CrlfNormaliser();
    normaliser.halt();
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (;;) {
          pulled += 1;
          yield 'x'.repeat(65_536);
        }
      })(),
    );
    source.pipe(normaliser);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBeLessThan(10);
    source.destroy();
    normaliser.destroy();
  });
});

describe('countLineBreaks', () => {
  it.each([
    [['a', 'b'], 0],
    [['a\nb', 'c\n'], 2],
    [['a\rb'], 1],
    [['\n\n\n'], 3],
  ])('counts %j as %i', (fields, expected) => {
    expect(countLineBreaks(fields)).toBe(expected);
  });
});
