// Bulk reads come back from our own queries as ONE JSON text of row tuples
// (json_agg(json_build_array(…))): at 100,000 rows, per-row driver decoding
// cost seconds. These check the shape by hand — a schema parse per tuple was
// as slow — and still throw loudly on anything unexpected.

export function parseJsonRows(text: string | null | undefined): unknown[][] {
  const parsed: unknown = JSON.parse(text ?? '[]');
  if (!Array.isArray(parsed) || !parsed.every(Array.isArray)) throw new TypeError('expected a JSON array of rows');
  return parsed;
}

export function num(v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`expected a number, got ${JSON.stringify(v)}`);
  return v;
}

export function numOrNull(v: unknown): number | null {
  return v === null ? null : num(v);
}

export function str(v: unknown): string {
  if (typeof v !== 'string') throw new TypeError(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}
