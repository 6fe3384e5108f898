// A derived-metric definition: which events, which property filters, one
// aggregation and a window in days. JSON from users, validated here; the
// compiler turns it into parameterised SQL (names and values are always bound
// parameters, never SQL text).
import { z } from 'zod';
import { METRIC_KEY_PATTERN } from '../scoring/catalogue.js';

const MAX_NAME = 200;
const eventName = z.string().trim().min(1, 'an event name cannot be empty').max(MAX_NAME, `event names are at most ${MAX_NAME} characters`);
const eventNames = z.array(eventName).min(1, 'name at least one event').max(20, 'at most 20 event names');
const propertyName = z.string().trim().min(1, 'a property name cannot be empty').max(MAX_NAME, `property names are at most ${MAX_NAME} characters`);
/** One property, or several tried in order (e.g. ["total", "revenue"]). */
const propertyRef = z.union([propertyName, z.array(propertyName).min(1, 'name at least one property').max(5, 'at most 5 fallback properties')]);
const scalar = z.union([z.string().max(1000, 'values are at most 1000 characters'), z.number().finite(), z.boolean()]);

export const filterSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ property: propertyName, op: z.literal('eq'), value: scalar }),
    z.strictObject({ property: propertyName, op: z.literal('neq'), value: scalar }),
    z.strictObject({ property: propertyName, op: z.literal('in'), values: z.array(scalar).min(1, 'list at least one value').max(100, 'at most 100 values') }),
    z.strictObject({ property: propertyName, op: z.literal('contains'), value: z.string().min(1, 'contains needs some text').max(1000, 'values are at most 1000 characters') }),
    z.strictObject({ property: propertyName, op: z.literal('gt'), value: z.number().finite() }),
    z.strictObject({ property: propertyName, op: z.literal('lt'), value: z.number().finite() }),
    z.strictObject({ property: propertyName, op: z.literal('exists') }),
  ],
  { error: 'op must be one of eq, neq, in, contains, gt, lt, exists' },
);
export type Filter = z.infer<typeof filterSchema>;
const filters = z.array(filterSchema).max(20, 'at most 20 filters').default([]);

export const aggregationSchema = z.discriminatedUnion(
  'type',
  [
    /** Matching events in the window. */
    z.strictObject({ type: z.literal('count') }),
    /** Distinct values of a property; `unless`: not counting values that also appear on these events (cancelled orders). */
    z.strictObject({ type: z.literal('count_distinct'), property: propertyName, unless: eventNames.optional() }),
    z.strictObject({ type: z.literal('sum'), property: propertyRef }),
    z.strictObject({ type: z.literal('avg'), property: propertyRef }),
    /** The property's value on the newest matching event. */
    z.strictObject({ type: z.literal('latest'), property: propertyRef }),
    /** Whole days from the newest matching event to the as-of time. */
    z.strictObject({ type: z.literal('days_since_last') }),
    /**
     * numerator/denominator × scale. Counts events (or distinct `property` values).
     * numerator: extra filters; minus: events subtracted from the numerator (NPS: promoters − detractors);
     * denominator "matching" (the account's matching events) or "all_accounts" (every account's).
     */
    z.strictObject({
      type: z.literal('ratio'),
      of: z.enum(['count', 'count_distinct'], { error: 'of must be count or count_distinct' }).default('count'),
      property: propertyName.optional(),
      numerator: filters,
      minus: z.array(filterSchema).max(20, 'at most 20 filters').optional(),
      denominator: z.enum(['matching', 'all_accounts'], { error: 'denominator must be matching or all_accounts' }).default('matching'),
      scale: z.number().finite().positive('scale must be above 0').default(100),
    }),
    /** % change of a sum (or count) over the window against the window before it. */
    z.strictObject({ type: z.literal('pct_change'), of: z.enum(['sum', 'count'], { error: 'of must be sum or count' }).default('sum'), property: propertyRef.optional() }),
    /** Entities opened by the matching events and not closed by a later `closedBy` event with the same id. */
    z.strictObject({ type: z.literal('open_entities'), idProperty: propertyName, closedBy: eventNames }),
  ],
  { error: 'type must be one of count, count_distinct, sum, avg, latest, days_since_last, ratio, pct_change, open_entities' },
);
export type Aggregation = z.infer<typeof aggregationSchema>;

export const derivedMetricSchema = z
  .strictObject({
    metric: z.string().regex(METRIC_KEY_PATTERN, 'metric keys are 2–63 lower-case letters, digits and underscores, starting with a letter'),
    description: z.string().trim().max(500, 'description is at most 500 characters').default(''),
    events: eventNames,
    where: filters,
    aggregation: aggregationSchema,
    windowDays: z.number({ error: 'windowDays must be a number' }).int('windowDays must be a whole number').min(1, 'windowDays must be 1 or more').max(730, 'windowDays must be at most 730'),
    /** Only each user's newest matching event counts (surveys: a user's latest answer). */
    latestPerUser: z.boolean().default(false),
  })
  .superRefine((d, ctx) => {
    const a = d.aggregation;
    if (a.type === 'ratio' && a.of === 'count_distinct' && a.property === undefined) ctx.addIssue({ code: 'custom', path: ['aggregation', 'property'], message: 'a count_distinct ratio needs the property whose values it counts' });
    if (a.type === 'pct_change' && a.of === 'sum' && a.property === undefined) ctx.addIssue({ code: 'custom', path: ['aggregation', 'property'], message: 'a pct_change of a sum needs the property to add up' });
    if (a.type === 'ratio' && a.denominator === 'all_accounts' && a.numerator.length > 0) ctx.addIssue({ code: 'custom', path: ['aggregation', 'numerator'], message: 'an all_accounts ratio compares the account with everyone on the same events: put filters in "where"' });
  });
export type DerivedMetric = z.output<typeof derivedMetricSchema>;

export interface DefinitionIssue {
  path: string;
  message: string;
}

/** An expected refusal: the definition names the field and the reason. */
export class InvalidDefinitionError extends Error {
  constructor(readonly issues: DefinitionIssue[]) {
    super(`invalid definition: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'InvalidDefinitionError';
  }
}

export function parseDerivedMetric(input: unknown): DerivedMetric {
  const parsed = derivedMetricSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidDefinitionError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** Every event name a definition reads (for "is anything sending it?"). */
export function eventsRead(d: DerivedMetric): string[] {
  const a = d.aggregation;
  const extra = a.type === 'count_distinct' ? (a.unless ?? []) : a.type === 'open_entities' ? a.closedBy : [];
  return [...new Set([...d.events, ...extra])];
}
