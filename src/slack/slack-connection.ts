// Whether Slack has accepted our credentials, kept up to date in the
// background. `serve` used to refuse to start when auth.test could not reach
// Slack, so a Slack outage (or a laptop without Slack) kept the ingestion API
// and the scheduler down too, and a container restarted during an outage
// stayed down. Now only Slack's own "this token is invalid" stops start-up;
// anything else is logged once and retried with backoff.
import type { Logger } from '../logger.js';

export type SlackState = 'unverified' | 'verified' | 'rejected';

/** What one attempt learned. `rejected` is Slack's answer about the token; `unreachable` is anything else. */
export type SlackAttempt =
  | { kind: 'verified'; botUserId?: string | undefined; botId?: string | undefined }
  | { kind: 'rejected'; error: unknown }
  | { kind: 'unreachable'; error: unknown };

/** Slack's error codes that mean the credential itself is wrong: retrying cannot help. */
const REJECTION = /\b(invalid_auth|not_authed|token_revoked|token_expired|account_inactive|not_allowed_token_type)\b/;

/** Classifies a failed Slack call: a rejected credential, or Slack out of reach (network, 5xx, timeout, rate limit). */
export function classifySlackFailure(error: unknown): 'rejected' | 'unreachable' {
  const data = typeof error === 'object' && error !== null && 'data' in error ? (error as { data?: { error?: unknown } }).data : undefined;
  const code = typeof data?.error === 'string' ? data.error : error instanceof Error ? error.message : String(error);
  return REJECTION.test(code) ? 'rejected' : 'unreachable';
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_SLACK_BACKOFF: Backoff = { initialMs: 2_000, maxMs: 5 * 60_000 };

/** Delay before retry number `retry` (0-based): doubling from initialMs, capped at maxMs. */
export function backoffDelay(retry: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(retry, 30));
}

export class SlackConnection {
  private current: SlackState = 'unverified';
  private identity: { botUserId?: string | undefined; botId?: string | undefined } = {};
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private retries = 0;

  constructor(
    private readonly attempt: () => Promise<SlackAttempt>,
    private readonly logger: Logger,
    private readonly backoff: Backoff = DEFAULT_SLACK_BACKOFF,
    /** What a rejection is about, for the log line (e.g. "SLACK_BOT_TOKEN"). */
    private readonly credential = 'SLACK_BOT_TOKEN',
  ) {}

  get state(): SlackState {
    return this.current;
  }

  get botUserId(): string | undefined {
    return this.identity.botUserId;
  }

  get botId(): string | undefined {
    return this.identity.botId;
  }

  /** One attempt now; the state follows its outcome. */
  async check(): Promise<SlackAttempt> {
    const outcome = await this.attempt().catch((error: unknown): SlackAttempt => ({ kind: classifySlackFailure(error), error }));
    if (outcome.kind === 'verified') {
      this.current = 'verified';
      this.identity = { botUserId: outcome.botUserId, botId: outcome.botId };
    } else if (outcome.kind === 'rejected') {
      this.current = 'rejected';
    }
    return outcome;
  }

  /** Keeps trying, with backoff, until Slack answers (either way) or stop() is called. */
  retryInBackground(): void {
    if (this.stopped || this.current !== 'unverified' || this.timer) return;
    const delay = backoffDelay(this.retries, this.backoff);
    this.retries += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check().then((outcome) => {
        if (this.stopped) return;
        if (outcome.kind === 'verified') this.logger.info('Slack reached: credentials verified', { after: this.retries });
        else if (outcome.kind === 'rejected') this.logger.error(`${this.credential} was rejected by Slack; Slack features stay off until it is fixed and serve restarted`, { error: outcome.error });
        else {
          this.logger.debug('Slack still unreachable; retrying', { error: outcome.error, retryInMs: backoffDelay(this.retries, this.backoff) });
          this.retryInBackground();
        }
      });
    }, delay);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
