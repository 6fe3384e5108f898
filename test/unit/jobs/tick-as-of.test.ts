// The as-of of a scheduled recomputation is the cron slot, whenever the
// process got round to it: replicas must agree on it for the per-tick dedupe.
import { describe, expect, it } from 'vitest';
import { onAppClock, tickAsOf } from '../../../src/jobs/tick-as-of.js';

const slot = new Date('2026-11-23T10:15:00.000Z');

describe('tickAsOf', () => {
  it('is the scheduled slot, not the time the callback ran', () => {
    expect(tickAsOf({ date: slot })).toEqual(slot);
  });

  it('is the same for replicas that woke at different times for one tick', () => {
    const lateBy = [0, 3, 999, 1_000, 1_700, 12_345];
    const contexts = lateBy.map((ms) => ({ date: slot, triggeredAt: new Date(slot.getTime() + ms) }));
    const asOfs = contexts.map((context) => tickAsOf(context).getTime());
    expect(new Set(asOfs)).toEqual(new Set([slot.getTime()]));
  });

  it('differs between two slots', () => {
    expect(tickAsOf({ date: new Date(slot.getTime() + 15 * 60_000) }).getTime() - tickAsOf({ date: slot }).getTime()).toBe(15 * 60_000);
  });

  it('drops sub-second noise so the as-of is always a whole second', () => {
    expect(tickAsOf({ date: new Date('2026-11-23T10:15:00.250Z') })).toEqual(slot);
  });
});

describe('onAppClock', () => {
  const wall = slot.getTime() + 40;
  it('leaves the slot alone when the app runs on the wall clock (a few ms apart)', () => {
    expect(onAppClock(slot, () => new Date(wall + 3), wall)).toEqual(slot);
  });

  it('moves the slot by whole seconds onto a clock running days ahead (the sandbox)', () => {
    const twoDays = 2 * 86_400_000;
    expect(onAppClock(slot, () => new Date(wall + twoDays + 7), wall)).toEqual(new Date(slot.getTime() + twoDays));
  });
});
