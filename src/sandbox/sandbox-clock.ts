// The app's clock in the sandbox: the wall clock plus whole days the person
// has moved it on with "advance one day".
import type { Clock } from '../app-deps.js';

export const DAY_MS = 86_400_000;

export class SandboxClock {
  private offsetMs = 0;

  constructor(private readonly wall: () => number = Date.now) {}

  readonly now: Clock = () => new Date(this.wall() + this.offsetMs);

  /** Days moved on so far. */
  get day(): number {
    return Math.round(this.offsetMs / DAY_MS);
  }

  advanceDays(days: number): void {
    this.offsetMs += days * DAY_MS;
  }
}
