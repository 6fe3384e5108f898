// Long loops on the main thread (scoring 10,000 accounts, judging their alerts)
// would hold every HTTP request, Slack acknowledgements included, until they
// end: 1.6 s each on a loaded 2-core box. A pacer lets such a loop give the
// event loop a turn every few milliseconds of work, at the cost of one
// setImmediate per slice.

/** Resolves on the event loop's next check phase, after pending I/O has been read. */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `await pace()` inside a loop: yields when at least `sliceMs` of work ran
 * since the last yield, else returns at once (one clock read).
 */
export function eventLoopPacer(sliceMs = 20): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < sliceMs) return undefined;
    return yieldToEventLoop().then(() => {
      sliceStart = performance.now();
    });
  };
}
