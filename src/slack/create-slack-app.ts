// Builds the Bolt app in HTTP mode (events at POST /slack/events on our own
// express app, so the ingestion API and /healthz share the port) or Socket Mode.
import { App, ExpressReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { AppDeps } from '../app-deps.js';
import type { SlackMode } from '../config.js';
import { toBoltLogger, type Level } from '../logger.js';
import { registerListeners } from './register-listeners.js';
import { extractSignature, serveOnce } from './serve-once.js';
import { slackClientOptions, type SlackClientTuning } from './web-client.js';

export interface SlackAppOptions {
  mode: SlackMode;
  deps: AppDeps;
  http: Express;
  tuning: SlackClientTuning;
  /** How long an unanswered request waits before Bolt gives up (default ≈3 s, as Slack does). */
  unhandledRequestTimeoutMillis?: number;
  /** The bot's ids once Slack has verified the token (see slack-connection.ts); unknown while Slack is unreachable. */
  identity: () => { botUserId?: string | undefined; botId?: string | undefined };
}

export const SLACK_EVENTS_PATH = '/slack/events';

export function createSlackApp(options: SlackAppOptions): App {
  const { mode, deps } = options;
  const logger = toBoltLogger(deps.logger, deps.config.LOG_LEVEL as Level);
  const clientOptions = slackClientOptions(deps.config, deps.logger, options.tuning);
  // Our own authorize instead of \`token\`: Bolt would otherwise call auth.test itself at init (and fail
  // start-up when Slack is out of reach). serve verifies the token in the background instead.
  const authorize = async () => {
    const { botUserId, botId } = options.identity();
    return { botToken: mode.botToken, ...(botUserId ? { botUserId } : {}), ...(botId ? { botId } : {}) };
  };
  const app =
    mode.kind === 'http'
      ? new App({
          authorize,
          receiver: new ExpressReceiver({
            signingSecret: mode.signingSecret,
            endpoints: SLACK_EVENTS_PATH,
            app: options.http,
            logger,
            // Slack bodies are small; a larger one is not from Slack.
            bodyLimit: '1mb',
            unhandledRequestTimeoutMillis: options.unhandledRequestTimeoutMillis ?? 3001,
            customPropertiesExtractor: extractSignature,
          }),
          clientOptions,
          logger,
          deferInitialization: true,
        })
      : new App({
          authorize,
          appToken: mode.appToken,
          socketMode: true,
          clientOptions,
          logger,
          deferInitialization: true,
        });

  // First of all middleware: a repeated request stops here, acknowledged.
  app.use(serveOnce(deps));
  registerListeners(app, deps);
  app.error(async (error) => {
    deps.logger.error('unhandled error in a Slack listener', { error });
  });
  return app;
}
