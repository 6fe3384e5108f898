// How alike a typed query and an account's name, external id or domain are,
// for "did you mean" suggestions: pure string maths, no database.

/** Distinct three-letter fragments of the query (two-letter for very short ones), at most 16. */
export function queryGrams(key: string): string[] {
  const compact = key.trim();
  const size = compact.length >= 4 ? 3 : 2;
  if (compact.length < size) return [];
  const grams = new Set<string>();
  for (let i = 0; i + size <= compact.length; i += 1) {
    const gram = compact.slice(i, i + size);
    if (gram.trim().length === size) grams.add(gram);
  }
  return [...grams].slice(0, 16);
}

/** Padded trigrams, as pg_trgm builds them: "  g", " gl", "glo", …, "ex ". */
function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i += 1) out.add(padded.slice(i, i + 3));
  return out;
}

/** Share of trigrams in common (Jaccard), 0..1. */
export function trigramSimilarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  let common = 0;
  for (const t of x) if (y.has(t)) common += 1;
  const union = x.size + y.size - common;
  return union === 0 ? 0 : common / union;
}

/** Levenshtein distance, O(n·m) with one row. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function similarity(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  const edit = 1 - distance(a, b) / Math.max(a.length, b.length);
  return Math.max(edit, trigramSimilarity(a, b));
}

/**
 * Best likeness (0..1) of `key` (lower-cased) to any of an account's texts —
 * whole, word by word, and for a domain without its top-level part — so
 * "klobex", "globx" and "globex.con" all find Globex (globex.io).
 */
export function nearMatchScore(key: string, texts: readonly (string | null)[]): number {
  const candidates = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    const lower = text.toLowerCase();
    candidates.add(lower);
    for (const word of lower.split(/[\s,.;:()/&-]+/)) if (word.length >= 2) candidates.add(word);
    const host = lower.replace(/\.[a-z]{2,}$/, '');
    if (host !== lower) candidates.add(host);
  }
  let best = 0;
  for (const candidate of candidates) best = Math.max(best, similarity(key, candidate));
  return best;
}
