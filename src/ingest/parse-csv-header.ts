// The header row decides how every later record is read, so it is checked
// strictly and all at once: one message lists every unknown, missing and
// repeated column, with a hint for the usual causes (wrong separator, camelCase).
import { ACCOUNT_COLUMNS, ACCOUNT_REQUIRED_COLUMNS, METRIC_COLUMNS, OUTCOME_COLUMNS, OUTCOME_REQUIRED_COLUMNS, suggestColumn } from './row-schemas.js';

export type CsvKind = 'accounts' | 'metrics' | 'outcomes';

export const CSV_COLUMNS: Readonly<Record<CsvKind, readonly string[]>> = { accounts: ACCOUNT_COLUMNS, metrics: METRIC_COLUMNS, outcomes: OUTCOME_COLUMNS };
export const CSV_REQUIRED_COLUMNS: Readonly<Record<CsvKind, readonly string[]>> = { accounts: ACCOUNT_REQUIRED_COLUMNS, metrics: METRIC_COLUMNS, outcomes: OUTCOME_REQUIRED_COLUMNS };

/**
 * The file cannot be imported from `line` on: a bad header (line 1), or CSV
 * that the parser cannot read past. Rows before `line` were already handed out.
 */
export class CsvFileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly reason: 'header' | 'unreadable' = 'header',
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}

/** The name callers used before CsvFileError covered unreadable files too; the same class. */
export const CsvHeaderError = CsvFileError;
export type CsvHeaderError = CsvFileError;

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

/** Normalised column names, in file order; throws CsvFileError listing every problem. */
export function checkHeader(kind: CsvKind, header: readonly string[]): string[] {
  const columns = header.map((h) => h.trim().toLowerCase());
  const known = CSV_COLUMNS[kind];
  if (columns.every((c) => c === '')) throw new CsvFileError(`the file is empty: a header row is required (${known.join(',')})`, 1);

  const only = columns.length === 1 ? columns[0] : undefined;
  const separator = only === undefined ? undefined : [';', '\t', '|'].find((s) => only.includes(s));
  if (separator !== undefined) {
    const name = separator === '\t' ? 'tabs' : `"${separator}"`;
    throw new CsvFileError(`the header has a single column "${only}": the file seems to use ${name} between fields; save it as comma-separated (${known.join(',')})`, 1);
  }

  const problems: string[] = [];
  const blanks = columns.flatMap((c, i) => (c === '' ? [i + 1] : []));
  if (blanks.length > 0) problems.push(`${plural(blanks.length, 'column')} ${blanks.join(', ')} of the header ${blanks.length === 1 ? 'has' : 'have'} no name`);
  // Shown as written, with a suggestion where a tidied spelling is a real column.
  const unknown = columns.flatMap((c, i) => {
    if (c === '' || known.includes(c)) return [];
    const written = header[i]?.trim() ?? c;
    const suggestion = suggestColumn(written, known);
    return [`"${written}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`];
  });
  if (unknown.length > 0) problems.push(`unknown ${plural(unknown.length, 'column')} ${unknown.join(', ')}`);
  const missing = CSV_REQUIRED_COLUMNS[kind].filter((c) => !columns.includes(c));
  if (missing.length > 0) problems.push(`missing required ${plural(missing.length, 'column')} ${quoted(missing)}`);
  const repeated = [...new Set(columns.filter((c, i) => c !== '' && columns.indexOf(c) !== i))];
  if (repeated.length > 0) problems.push(`${plural(repeated.length, 'column')} ${quoted(repeated)} ${repeated.length === 1 ? 'appears' : 'appear'} more than once`);

  if (problems.length > 0) {
    const looksLikeData = !columns.some((c) => known.includes(c));
    const guide = looksLikeData ? `the first line must be the header row: ${known.join(',')}` : `${kind} files have: ${known.join(',')}`;
    throw new CsvFileError(`bad header: ${problems.join('; ')}; ${guide}`, 1);
  }
  return columns;
}
