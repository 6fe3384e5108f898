// Per-channel pacing for one deliverer: Slack takes about one message per
// second per channel, and after a 429 the whole channel waits out Retry-After.
// Pacing uses real time (it is about Slack's clock); Retry-After deadlines use
// the deliverer's clock, like the outbox's next_attempt_at they mirror.
export class ChannelPacer {
  private readonly lastSendAt = new Map<string, number>();
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly gapMs: number,
    private readonly clock: () => Date,
  ) {}

  /** The instant the channel may be written to again, or null if it is open. */
  blockedUntil(channel: string): Date | null {
    const until = this.blocked.get(channel);
    if (until === undefined) return null;
    if (until <= this.clock().getTime()) {
      this.blocked.delete(channel);
      return null;
    }
    return new Date(until);
  }

  block(channel: string, until: Date): void {
    this.blocked.set(channel, Math.max(until.getTime(), this.blocked.get(channel) ?? 0));
  }

  /** Waits until a message to `channel` keeps the gap since the last one. */
  async waitTurn(channel: string): Promise<void> {
    const last = this.lastSendAt.get(channel);
    const wait = last === undefined ? 0 : last + this.gapMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  markSent(channel: string): void {
    this.lastSendAt.set(channel, Date.now());
  }
}
