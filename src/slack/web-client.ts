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

export function slackClientOptions(config: Config, logger: Logger, tuning: SlackClientTuning): WebClientOptions {
  return {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    logger: toBoltLogger(logger, config.LOG_LEVEL as Level),
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
