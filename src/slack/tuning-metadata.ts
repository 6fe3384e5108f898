// What the admin modal carries in private_metadata: which model and version it
// edits, and which measures it shows — after a preview that is the candidate's
// list, so Save reads the form the admin actually sees. Slack hands the text
// back untrusted, so it is parsed with zod like any other input.
import { z } from 'zod';
import { METRIC_KEY_PATTERN } from '../scoring/catalogue.js';
import { MAX_TUNABLE_MEASURES } from '../tuning/tuning-limits.js';

export const tuningMetadataSchema = z.object({
  modelKey: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  baseVersion: z.number().int().min(1),
  measureKeys: z.array(z.string().regex(METRIC_KEY_PATTERN)).min(1).max(MAX_TUNABLE_MEASURES),
});
export type TuningMetadata = z.infer<typeof tuningMetadataSchema>;

export function encodeTuningMetadata(metadata: TuningMetadata): string {
  return JSON.stringify(metadata);
}

/** null when the text is not JSON or not a valid metadata object (a stale or forged view). */
export function decodeTuningMetadata(text: string | undefined): TuningMetadata | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    return null;
  }
  const parsed = tuningMetadataSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
