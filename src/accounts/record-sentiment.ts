// A CSM's judgement becomes the csm_sentiment measure: a dated observation
// with its reason and author, expiring after the metric's freshness window.
import type { Prisma } from '../db/database.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';

export interface SentimentInput {
  accountId: number;
  value: number;
  reason: string;
  author: string;
  at: Date;
}

export type SentimentParse = { ok: true; accountQuery: string; value: number; reason: string } | { ok: false; error: string };

export const SENTIMENT_USAGE = 'Usage: `/health sentiment ACCOUNT 1-5 REASON` — e.g. `/health sentiment acme 2 budget freeze announced` (1 = very poor, 5 = excellent).';

/** "acme corp 2 budget freeze" → account "acme corp", 2, "budget freeze". The score is the first 1–5 token after the account. */
export function parseSentimentArgs(args: readonly string[]): SentimentParse {
  const index = args.findIndex((token, i) => i > 0 && /^[+-]?\d+([.,]\d+)?$/.test(token));
  if (args.length === 0 || index === -1) return { ok: false, error: `Name the account and give a score from 1 to 5. ${SENTIMENT_USAGE}` };
  const value = Number((args[index] ?? '').replace(',', '.'));
  if (!Number.isInteger(value) || value < 1 || value > 5) return { ok: false, error: `The score must be a whole number from 1 to 5 (got ${args[index]}). ${SENTIMENT_USAGE}` };
  const reason = args.slice(index + 1).join(' ').trim();
  if (reason === '') return { ok: false, error: `Say why, so the team knows what changed. ${SENTIMENT_USAGE}` };
  if (reason.length > 500) return { ok: false, error: 'Keep the reason under 500 characters.' };
  return { ok: true, accountQuery: args.slice(0, index).join(' '), value, reason };
}

export async function recordSentiment(prisma: Prisma, input: SentimentInput): Promise<void> {
  await ensureCatalogueAndModels(prisma);
  await prisma.metricObservation.upsert({
    where: { accountId_metricKey_observedAt: { accountId: input.accountId, metricKey: 'csm_sentiment', observedAt: input.at } },
    create: { accountId: input.accountId, metricKey: 'csm_sentiment', value: input.value, observedAt: input.at, note: input.reason, authorSlackUserId: input.author, source: 'slack' },
    update: { value: input.value, note: input.reason, authorSlackUserId: input.author, updatedAt: input.at },
  });
}
