// What an alert row stores about why it fired, validated when read back.
import { z } from 'zod';
import { BANDS } from '../scoring/types.js';

const band = z.enum(BANDS);

export const alertTriggerSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('band_worsened'), from: band, to: band }),
  z.object({ rule: z.literal('score_dropped'), points: z.number(), days: z.number(), fromScore: z.number(), toScore: z.number() }),
  z.object({ rule: z.literal('measure_poor'), metricKey: z.string(), value: z.number(), poor: z.number() }),
  z.object({ rule: z.literal('renewal_at_risk'), daysToRenewal: z.number(), band }),
  z.object({ rule: z.literal('first_scored_at_risk'), band }),
]);
export const alertTriggersSchema = z.array(alertTriggerSchema);
export type AlertTrigger = z.infer<typeof alertTriggerSchema>;

export const measureChangeSchema = z.object({
  metricKey: z.string(),
  pointsLost: z.number(),
  valueBefore: z.number().nullable(),
  valueAfter: z.number().nullable(),
});
export const alertReasonSchema = z.object({
  baseline: z.object({ asOf: z.string(), score: z.number().nullable(), band: z.string() }).nullable(),
  changes: z.array(measureChangeSchema),
});
export type AlertReason = z.infer<typeof alertReasonSchema>;
