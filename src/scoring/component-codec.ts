// How a snapshot's per-measure components are stored: one positional tuple per
// measure instead of a keyed object, with the observation time as epoch
// milliseconds. A 100,000-account recomputation writes ~3x less JSON this way
// (≈55 instead of ≈165 bytes a measure), which is most of its write time.
// Snapshots written before the compact form (keyed objects) still decode.
import { measureComponentSchema, type MeasureComponent } from './types.js';

/** [metricKey, weight, good, poor, value, observedAtMs, stale 0|1, points, pointsLost] */
export type EncodedComponent = [string, number, number, number, number | null, number | null, 0 | 1, number | null, number];

export function encodeComponents(components: readonly MeasureComponent[]): EncodedComponent[] {
  return components.map((c) => [
    c.metricKey,
    c.weight,
    c.good,
    c.poor,
    c.value,
    c.observedAt === null ? null : Date.parse(c.observedAt),
    c.stale ? 1 : 0,
    c.points,
    c.pointsLost,
  ]);
}

/** Decodes a stored components column (compact or legacy form); throws on anything else. */
export function decodeComponents(stored: unknown): MeasureComponent[] {
  if (!Array.isArray(stored)) throw new TypeError('stored components are not an array');
  return stored.map((c: unknown) => (Array.isArray(c) ? decodeTuple(c) : measureComponentSchema.parse(c)));
}

/**
 * The compact form, checked by hand: a run judging 100,000 changed accounts
 * decodes 1.2 million of these, where a schema parse per tuple cost seconds.
 */
function decodeTuple(c: unknown[]): MeasureComponent {
  const [metricKey, weight, good, poor, value, observedAtMs, stale, points, pointsLost] = c;
  if (
    c.length !== 9 ||
    typeof metricKey !== 'string' ||
    typeof weight !== 'number' ||
    typeof good !== 'number' ||
    typeof poor !== 'number' ||
    !(value === null || typeof value === 'number') ||
    !(observedAtMs === null || typeof observedAtMs === 'number') ||
    !(stale === 0 || stale === 1) ||
    !(points === null || typeof points === 'number') ||
    typeof pointsLost !== 'number'
  ) {
    throw new TypeError(`not a stored component: ${JSON.stringify(c).slice(0, 200)}`);
  }
  return { metricKey, weight, good, poor, value, observedAt: observedAtMs === null ? null : new Date(observedAtMs).toISOString(), stale: stale === 1, points, pointsLost };
}
