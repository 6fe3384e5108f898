// What the suggestion modal carries in private_metadata: the model and
// version it was computed for, and the weights it showed, so "Apply" saves
// exactly what the admin saw — or says the outcomes changed meanwhile.
// Untrusted on the way back: parsed with zod, and authorisation re-checked.
import { z } from 'zod';
import { METRIC_KEY_PATTERN } from '../scoring/catalogue.js';

export const suggestMetadataSchema = z.object({
  modelKey: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  baseVersion: z.number().int().min(1),
  leadDays: z.number().int().min(7).max(365),
  weights: z.record(z.string().regex(METRIC_KEY_PATTERN), z.number().int().min(0).max(100)),
});
export type SuggestMetadata = z.infer<typeof suggestMetadataSchema>;

export function decodeSuggestMetadata(text: string | undefined): SuggestMetadata | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    return null;
  }
  const parsed = suggestMetadataSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
