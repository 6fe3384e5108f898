import { describe, expect, it } from 'vitest';
import { BUILT_IN_DEFINITIONS } from '../../../src/derived/built-in-definitions.js';
import { compileDefinition, compileFilter, windowFor, zeroWhenNoEvents } from '../../../src/derived/compile-definition.js';
import { eventsRead, InvalidDefinitionError, parseDerivedMetric } from '../../../src/derived/definition-schema.js';
import { BUILT_IN_METRICS } from '../../../src/scoring/catalogue.js';

const issues = (input: unknown) => {
  try {
    parseDerivedMetric(input);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidDefinitionError)) throw error;
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
};

describe('derived-metric definitions', () => {
  it('has a built-in definition for every catalogue metric the vocabulary feeds', () => {
    const derivable = BUILT_IN_METRICS.map((m) => m.key).filter((k) => k !== 'csm_sentiment' && k !== 'days_to_renewal');
    expect(BUILT_IN_DEFINITIONS.map((d) => d.metric).sort()).toEqual(derivable.sort());
    expect(eventsRead(BUILT_IN_DEFINITIONS.find((d) => d.metric === 'open_support_tickets') ?? BUILT_IN_DEFINITIONS[0]!)).toEqual(['Ticket Opened', 'Ticket Closed']);
  });

  it('refuses a bad definition naming each field and the reason', () => {
    expect(issues({ metric: 'Orders', events: [], aggregation: { type: 'median' }, windowDays: 1.5, extra: 1 })).toEqual([
      'metric: metric keys are 2–63 lower-case letters, digits and underscores, starting with a letter',
      'events: name at least one event',
      'aggregation.type: type must be one of count, count_distinct, sum, avg, latest, days_since_last, ratio, pct_change, open_entities',
      'windowDays: windowDays must be a whole number',
      ': Unrecognized key: "extra"',
    ]);
    expect(issues({ metric: 'x_1', events: ['A'], where: [{ property: 'p', op: 'like', value: 'x' }], aggregation: { type: 'count' }, windowDays: 30 })).toEqual(['where.0.op: op must be one of eq, neq, in, contains, gt, lt, exists']);
    expect(issues({ metric: 'x_1', events: ['A'], where: [{ property: 'p', op: 'gt', value: 'ten' }], aggregation: { type: 'count' }, windowDays: 30 })).toEqual(['where.0.value: Invalid input: expected number, received string']);
    expect(issues({ metric: 'x_1', events: ['A'], aggregation: { type: 'pct_change', of: 'sum' }, windowDays: 30 })).toEqual(['aggregation.property: a pct_change of a sum needs the property to add up']);
    expect(issues({ metric: 'x_1', events: ['A'], aggregation: { type: 'count' }, windowDays: 731 })).toEqual(['windowDays: windowDays must be at most 730']);
  });

  it('windows are whole UTC days ending at the as-of time', () => {
    const w = windowFor(30, new Date('2026-11-20T12:34:00Z'));
    expect(w.start.toISOString()).toBe('2026-10-22T00:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-11-20T12:34:00.000Z');
    expect(windowFor(1, new Date('2026-11-20T00:00:00Z')).start.toISOString()).toBe('2026-11-20T00:00:00.000Z');
  });

  it('compiles to SQL whose names and values are bound parameters, never text', () => {
    const hostile = "x'); DROP TABLE accounts; --";
    const d = parseDerivedMetric({
      metric: 'x_1', events: [hostile], where: [{ property: hostile, op: 'eq', value: hostile }, { property: 'p', op: 'contains', value: hostile }],
      aggregation: { type: 'sum', property: [hostile, 'total'] }, windowDays: 30,
    });
    const sql = compileDefinition(d, new Date('2026-11-20T12:00:00Z'), { kind: 'ids', ids: [1, 2] });
    expect(sql.sql).not.toContain('DROP TABLE');
    expect(sql.values).toContain(hostile);
    expect(sql.values).toContain(JSON.stringify(hostile));
    expect(compileFilter({ property: 'score', op: 'in', values: [9, 10, 'ten'] }).values).toContainEqual(['9', '10', '"ten"']);
  });

  it('fills 0 for counted aggregations only', () => {
    const zero = BUILT_IN_DEFINITIONS.filter((d) => zeroWhenNoEvents(d.aggregation)).map((d) => d.metric).sort();
    expect(zero).toEqual(['complaints_90d', 'feature_adoption_pct', 'late_payments_90d', 'logins_30d', 'open_support_tickets', 'orders_30d']);
  });
});
