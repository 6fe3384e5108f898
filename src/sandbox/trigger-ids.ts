// trigger_ids, as Slack issues them with every command and interaction: each
// belongs to the person who acted, opens at most one modal, and lapses after
// 3 seconds (views.open then answers expired_trigger_id).
import { randomBytes } from 'node:crypto';

export const TRIGGER_LIFETIME_MS = 3_000;

export type TriggerUse = { kind: 'valid'; user: string } | { kind: 'expired' } | { kind: 'invalid' };

export class TriggerIds {
  private readonly issued = new Map<string, { user: string; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(user: string): string {
    const id = `${Math.floor(this.now() / 1000)}.${randomBytes(4).readUInt32BE()}.${randomBytes(12).toString('hex')}`;
    this.issued.set(id, { user, at: this.now() });
    return id;
  }

  use(id: string): TriggerUse {
    const entry = this.issued.get(id);
    if (!entry) return { kind: 'invalid' };
    this.issued.delete(id);
    if (this.now() - entry.at > TRIGGER_LIFETIME_MS) return { kind: 'expired' };
    return { kind: 'valid', user: entry.user };
  }

  /** Drops lapsed ids, so a long session does not accumulate them. */
  sweep(): void {
    for (const [id, entry] of this.issued) if (this.now() - entry.at > TRIGGER_LIFETIME_MS) this.issued.delete(id);
  }
}
