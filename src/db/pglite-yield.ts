// PGlite runs inside this process, and its queries resolve without ever
// waiting on I/O: a recomputation's hundreds of awaited statements ran as one
// unbroken chain of microtasks, so no HTTP request — not even a Slack
// acknowledgement, which needs no database — was read until it ended (20 s at
// 10,000 accounts). Every statement now first yields to the event loop, so
// requests are served between statements; the longest single statement is
// what an acknowledgement can still wait for. (`serve` runs PGlite on a thread
// of its own instead: pglite-thread.ts.)
import { yieldToEventLoop } from '../event-loop.js';

const STATEMENTS = new Set<PropertyKey>(['queryRaw', 'executeRaw', 'executeScript']);
/** Methods returning another queryable (a connection, a transaction) that must yield too. */
const WRAPS_RESULT = new Set<PropertyKey>(['connect', 'startTransaction']);

export function yieldingAdapter<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (STATEMENTS.has(property)) {
        return async (...args: unknown[]) => {
          await yieldToEventLoop();
          return method.apply(object, args);
        };
      }
      if (WRAPS_RESULT.has(property)) {
        return async (...args: unknown[]) => yieldingAdapter((await method.apply(object, args)) as object);
      }
      return method.bind(object);
    },
  });
}
