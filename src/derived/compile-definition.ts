// A validated definition → one parameterised SQL query answering
// (account_id, v) for every account in scope, set-based. Event names,
// property names and values are bound parameters; the only SQL text is fixed
// here. Windows are whole UTC days: "30 days" is today so far plus the 29
// days before, so values move only when events arrive or the day turns (and
// a tick within a day re-derives only the accounts that received events).
import { Prisma as Sql } from '../generated/prisma/client.js';
import { startOfUtcDay } from '../scoring/renewal.js';
import type { Aggregation, DerivedMetric, Filter } from './definition-schema.js';

type Fragment = Sql.Sql;
const DAY_MS = 86_400_000;
/** A number, or a string holding one ("120.50" from a form post). */
const NUMERIC_TEXT = '^\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*$';

export type DerivationScope = { kind: 'all' } | { kind: 'ids'; ids: readonly number[] };

export interface Window {
  /** Inclusive start: the start of the UTC day windowDays − 1 days before as-of's day. */
  start: Date;
  /** Inclusive end: the as-of time (events dated later are not counted yet). */
  end: Date;
}

export function windowFor(windowDays: number, asOf: Date): Window {
  return { start: new Date(startOfUtcDay(asOf) - (windowDays - 1) * DAY_MS), end: asOf };
}

/** Whether accounts with no matching events get 0 (counts) rather than no value (averages, latest…). */
export function zeroWhenNoEvents(a: Aggregation): boolean {
  return a.type === 'count' || a.type === 'count_distinct' || a.type === 'sum' || a.type === 'open_entities' || (a.type === 'ratio' && a.denominator === 'all_accounts');
}

const prop = (alias: string, p: string) => Sql.sql`(${Sql.raw(alias)}.properties -> ${p}::text)`;
const text = (alias: string, p: string) => Sql.sql`(${Sql.raw(alias)}.properties ->> ${p}::text)`;

function numeric(alias: string, property: string | readonly string[]): Fragment {
  const one = (p: string) => Sql.sql`(CASE jsonb_typeof(${prop(alias, p)})
      WHEN 'number' THEN ${text(alias, p)}::float8
      WHEN 'string' THEN CASE WHEN ${text(alias, p)} ~ ${NUMERIC_TEXT} THEN ${text(alias, p)}::float8 END END)`;
  const list = typeof property === 'string' ? [property] : property;
  return list.length === 1 ? one(list[0] ?? '') : Sql.sql`coalesce(${Sql.join(list.map(one), ', ')})`;
}

export function compileFilter(f: Filter, alias = 'e'): Fragment {
  switch (f.op) {
    case 'eq':
      return Sql.sql`${prop(alias, f.property)} = ${JSON.stringify(f.value)}::jsonb`;
    case 'neq':
      return Sql.sql`${prop(alias, f.property)} IS DISTINCT FROM ${JSON.stringify(f.value)}::jsonb`;
    case 'in':
      return Sql.sql`${prop(alias, f.property)} = ANY(${f.values.map((v) => JSON.stringify(v))}::jsonb[])`;
    case 'contains':
      return Sql.sql`(CASE jsonb_typeof(${prop(alias, f.property)})
        WHEN 'array' THEN ${prop(alias, f.property)} @> jsonb_build_array(${f.value}::text)
        WHEN 'string' THEN strpos(lower(${text(alias, f.property)}), lower(${f.value}::text)) > 0
        ELSE false END)`;
    case 'gt':
      return Sql.sql`${numeric(alias, f.property)} > ${f.value}::float8`;
    case 'lt':
      return Sql.sql`${numeric(alias, f.property)} < ${f.value}::float8`;
    case 'exists':
      return Sql.sql`coalesce(jsonb_typeof(${prop(alias, f.property)}), 'null') <> 'null'`;
  }
}

const all = (fragments: readonly Fragment[]) => (fragments.length === 0 ? Sql.sql`true` : Sql.join(fragments.map((f) => Sql.sql`(${f})`), ' AND '));

function scopeCondition(scope: DerivationScope, column: string): Fragment {
  return scope.kind === 'all' ? Sql.sql`true` : Sql.sql`${Sql.raw(column)} = ANY(${[...scope.ids]}::int[])`;
}

/** The matching events of the definition in [from, asOf] for the accounts in scope. */
function matching(d: DerivedMetric, from: Date, asOf: Date, scope: DerivationScope): Fragment {
  return Sql.sql`e.account_id IS NOT NULL AND e.event = ANY(${d.events}::text[])
    AND e.timestamp >= ${from}::timestamptz AND e.timestamp <= ${asOf}::timestamptz
    AND ${scopeCondition(scope, 'e.account_id')} AND ${all(d.where.map((f) => compileFilter(f)))}`;
}

/** FROM clause: the events, or each user's newest matching event when the definition says so. */
function source(d: DerivedMetric, from: Date, asOf: Date, scope: DerivationScope): Fragment {
  if (!d.latestPerUser) return Sql.sql`events e WHERE ${matching(d, from, asOf, scope)}`;
  return Sql.sql`(SELECT DISTINCT ON (e.account_id, e.user_key) e.* FROM events e WHERE ${matching(d, from, asOf, scope)}
    ORDER BY e.account_id, e.user_key, e.timestamp DESC, e.id DESC) e WHERE true`;
}

/**
 * SELECT account_id, v — one row per account in scope that has a value.
 * Values are rounded to 2 decimals.
 */
export function compileDefinition(d: DerivedMetric, asOf: Date, scope: DerivationScope): Fragment {
  const w = windowFor(d.windowDays, asOf);
  const a = d.aggregation;
  const from = a.type === 'pct_change' ? new Date(w.start.getTime() - d.windowDays * DAY_MS) : w.start;
  const { value, extra } = aggregate(d, a, w, asOf, scope);
  const grouped = Sql.sql`SELECT e.account_id, (${value})::float8 AS v FROM ${source(d, from, asOf, scope)} AND ${extra} GROUP BY e.account_id`;
  if (!zeroWhenNoEvents(a)) return Sql.sql`SELECT g.account_id, round(g.v::numeric, 2)::float8 AS v FROM (${grouped}) g WHERE g.v IS NOT NULL`;
  return Sql.sql`SELECT f.account_id, round(coalesce(g.v, 0)::numeric, 2)::float8 AS v
    FROM event_accounts f LEFT JOIN (${grouped}) g ON g.account_id = f.account_id
    WHERE ${scopeCondition(scope, 'f.account_id')}`;
}

function aggregate(d: DerivedMetric, a: Aggregation, w: Window, asOf: Date, scope: DerivationScope): { value: Fragment; extra: Fragment } {
  const none = Sql.sql`true`;
  switch (a.type) {
    case 'count':
      return { value: Sql.sql`count(*)`, extra: none };
    case 'count_distinct': {
      const unless = a.unless
        ? Sql.sql`NOT EXISTS (SELECT 1 FROM events x WHERE x.account_id = e.account_id AND x.event = ANY(${a.unless}::text[])
            AND x.timestamp <= ${asOf}::timestamptz AND ${text('x', a.property)} = ${text('e', a.property)})`
        : none;
      return { value: Sql.sql`count(DISTINCT ${text('e', a.property)})`, extra: unless };
    }
    case 'sum':
      return { value: Sql.sql`coalesce(sum(${numeric('e', a.property)}), 0)`, extra: none };
    case 'avg':
      return { value: Sql.sql`avg(${numeric('e', a.property)})`, extra: none };
    case 'latest':
      return { value: Sql.sql`(array_agg(${numeric('e', a.property)} ORDER BY e.timestamp DESC, e.id DESC) FILTER (WHERE ${numeric('e', a.property)} IS NOT NULL))[1]`, extra: none };
    case 'days_since_last':
      return { value: Sql.sql`floor(extract(epoch FROM (${asOf}::timestamptz - max(e.timestamp))) / 86400)`, extra: none };
    case 'ratio': {
      const counted = a.of === 'count_distinct' && a.property !== undefined ? Sql.sql`count(DISTINCT ${text('e', a.property)})` : Sql.sql`count(*)`;
      if (a.denominator === 'all_accounts') {
        const everyone = a.of === 'count_distinct' && a.property !== undefined ? Sql.sql`count(DISTINCT ${text('e', a.property)})` : Sql.sql`count(*)`;
        const total = Sql.sql`(SELECT ${everyone} FROM ${source(d, w.start, asOf, { kind: 'all' })})`;
        return { value: Sql.sql`${counted}::float8 / nullif(${total}, 0) * ${a.scale}::float8`, extra: none };
      }
      const filtered = (fs: readonly Filter[]) => (a.of === 'count_distinct' && a.property !== undefined
        ? Sql.sql`count(DISTINCT ${text('e', a.property)}) FILTER (WHERE ${all(fs.map((f) => compileFilter(f)))})`
        : Sql.sql`count(*) FILTER (WHERE ${all(fs.map((f) => compileFilter(f)))})`);
      const minus = a.minus ? Sql.sql` - ${filtered(a.minus)}` : Sql.empty;
      return { value: Sql.sql`(${filtered(a.numerator)}${minus})::float8 / nullif(${counted}, 0) * ${a.scale}::float8`, extra: none };
    }
    case 'pct_change': {
      const measure = (current: boolean) => {
        const inWindow = current ? Sql.sql`e.timestamp >= ${w.start}::timestamptz` : Sql.sql`e.timestamp < ${w.start}::timestamptz`;
        return a.of === 'count' || a.property === undefined
          ? Sql.sql`count(*) FILTER (WHERE ${inWindow})::float8`
          : Sql.sql`coalesce(sum(${numeric('e', a.property)}) FILTER (WHERE ${inWindow}), 0)`;
      };
      return { value: Sql.sql`(${measure(true)} - ${measure(false)}) / nullif(${measure(false)}, 0) * 100`, extra: none };
    }
    case 'open_entities': {
      const stillOpen = Sql.sql`${text('e', a.idProperty)} IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM events x WHERE x.account_id = e.account_id AND x.event = ANY(${a.closedBy}::text[])
          AND ${text('x', a.idProperty)} = ${text('e', a.idProperty)} AND x.timestamp >= e.timestamp AND x.timestamp <= ${asOf}::timestamptz)`;
      return { value: Sql.sql`count(DISTINCT ${text('e', a.idProperty)})`, extra: stillOpen };
    }
  }
}

/** The events behind one account's value (newest first), for `metric preview`. */
export function compileEvidence(d: DerivedMetric, asOf: Date, accountId: number, limit: number): Fragment {
  const w = windowFor(d.windowDays, asOf);
  const from = d.aggregation.type === 'pct_change' ? new Date(w.start.getTime() - d.windowDays * DAY_MS) : w.start;
  const a = d.aggregation;
  const names = a.type === 'count_distinct' ? [...d.events, ...(a.unless ?? [])] : a.type === 'open_entities' ? [...d.events, ...a.closedBy] : d.events;
  return Sql.sql`SELECT e.timestamp, e.event, e.message_id, coalesce(e.properties, '{}'::jsonb)::text AS properties
    FROM events e
    WHERE e.account_id = ${accountId} AND e.event = ANY(${names}::text[]) AND e.timestamp >= ${from}::timestamptz AND e.timestamp <= ${asOf}::timestamptz
      AND (NOT (e.event = ANY(${d.events}::text[])) OR ${all(d.where.map((f) => compileFilter(f)))})
    ORDER BY e.timestamp DESC, e.id DESC LIMIT ${limit}`;
}
