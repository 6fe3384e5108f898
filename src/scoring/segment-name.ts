// One spelling per segment, wherever a segment name enters (account files, the
// API, model files), so "Mid Market", "mid_market" and "MID-MARKET" reach the
// same model and "Start Up" in a model file matches "start-up" on accounts.

export type SegmentName = { ok: true; value: string } | { ok: false; error: string };

/** Spellings seen in CRM exports for the segments the built-in models target. */
const SEGMENT_ALIASES: Readonly<Record<string, string>> = {
  midmarket: 'mid-market',
  'mid-size': 'mid-market',
  'mid-sized': 'mid-market',
  'small-business': 'smb',
  'small-and-medium-business': 'smb',
  'small-medium-business': 'smb',
};

/** Lower-case kebab, with the aliases above. */
export function normaliseSegment(value: string): SegmentName {
  const kebab = value.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  if (kebab === '') return { ok: false, error: `segment "${value}" has no letters or digits` };
  if (kebab.length > 60) return { ok: false, error: `segment is at most 60 characters (got ${kebab.length})` };
  return { ok: true, value: SEGMENT_ALIASES[kebab] ?? kebab };
}
