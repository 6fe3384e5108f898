// One place builds Web API clients, so every Slack call honours SLACK_API_URL
// and a deliberate retry policy. The library default (10 retries over ~30 min)
// would let one 5xx hang a listener far past Slack's 3-second budget.
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import { toBoltLogger, type Level, type Logger } from '../logger.js';

export interface SlackClientTuning {
  /** Retries for 5xx/network errors inside one call (alerts retry across calls via the outbox). */
  retries: number;
  timeoutMs: number;
}

export const DEFAULT_SLACK_TUNING: SlackClientTuning = { retries: 2, timeoutMs: 10_000 };

/**
 * The alert outbox owns its retries: a 5xx or timeout after Slack accepted a
 * post, retried inside the client, would post the alert again without the
 * outbox's "already posted?" lookup. So delivery calls are never retried here.
 */
export const DELIVERY_SLACK_TUNING: SlackClientTuning = { retries: 0, timeoutMs: 10_000 };

export function slackClientOptions(config: Pick<Config, 'SLACK_API_URL' | 'LOG_LEVEL'>, logger: Logger, tuning: SlackClientTuning): WebClientOptions {
  return {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    logger: toBoltLogger(logger, config.LOG_LEVEL),
    retryConfig: { retries: tuning.retries, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
    timeout: tuning.timeoutMs,
    // Rate limits surface as errors carrying retryAfter, so the alert outbox can
    // reschedule one channel instead of the client pausing every call.
    rejectRateLimitedCalls: true,
  };
}

export function createSlackClient(token: string, config: Config, logger: Logger, tuning = DEFAULT_SLACK_TUNING): WebClient {
  return new WebClient(token, slackClientOptions(config, logger, tuning));
}

/**
 * A twin of `client` (same token, same API URL) tuned for alert delivery:
 * whatever client the caller built, delivery goes through one without retries.
 */
export function deliveryClientFor(client: WebClient, logger: Logger, level: Level, tuning = DELIVERY_SLACK_TUNING): WebClient {
  return new WebClient(client.token, slackClientOptions({ SLACK_API_URL: client.slackApiUrl, LOG_LEVEL: level }, logger, tuning));
}
