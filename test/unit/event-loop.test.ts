import { describe, expect, it } from 'vitest';
import { eventLoopPacer } from '../../src/event-loop.js';

/** Busy work for `ms` on this thread, pacing as a long loop in the product does (or not). */
async function busyLoop(ms: number, pace?: () => Promise<void> | undefined): Promise<number> {
  let yields = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const turn = pace?.();
    if (turn) {
      yields += 1;
      await turn;
    }
  }
  return yields;
}

describe('eventLoopPacer', () => {
  it('lets a timer due meanwhile run during a long loop', async () => {
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    const yields = await busyLoop(60, eventLoopPacer(5));
    expect(yields).toBeGreaterThan(1);
    expect(timerRan).toBe(true);
  });

  it('holds the loop without it (the control)', async () => {
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    await busyLoop(30);
    expect(timerRan).toBe(false);
  });

  it('costs one clock read, no turn, within a slice', () => {
    const pace = eventLoopPacer(60_000);
    expect(pace()).toBeUndefined();
    expect(pace()).toBeUndefined();
  });
});
