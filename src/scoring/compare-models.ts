// Whether a model definition would change anything: re-importing the file a
// model was exported to must not pile up identical versions.
import type { Measure, ModelDefinition } from './types.js';

/** JSON with object keys sorted, so key order in a file never counts as a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const measureKey = (m: Measure) => ({ metricKey: m.metricKey, weight: m.weight, good: m.good, poor: m.poor, group: m.group ?? null });

/** Same scoring and settings; measure order and custom-metric copies do not count (metrics are stored apart). */
export function sameModelDefinition(a: ModelDefinition, b: ModelDefinition): boolean {
  const comparable = (m: ModelDefinition) => ({
    key: m.key,
    name: m.name,
    segment: m.segment,
    cutoffs: m.cutoffs,
    minCompleteness: m.minCompleteness,
    alertConfig: m.alertConfig,
    measures: [...m.measures].map(measureKey).sort((x, y) => (x.metricKey < y.metricKey ? -1 : 1)),
  });
  return canonical(comparable(a)) === canonical(comparable(b));
}
