// The one place that reads process.env. Every variable is validated once at
// boot; a missing or malformed value stops start-up with one line naming it.
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';

const slackId = (prefix: string) => new RegExp(`^${prefix}[A-Z0-9]{2,}$`);

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const envSchema = z
  .object({
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)')
        .optional(),
    ),
    DATA_DIR: optionalText.pipe(z.string().default('./data')),
    SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional()),
    SLACK_SIGNING_SECRET: optionalText.pipe(z.string().min(8, 'must be the app\'s signing secret').optional()),
    SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional()),
    SLACK_API_URL: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
        .transform((url) => (url.endsWith('/') ? url : `${url}/`))
        .optional(),
    ),
    PORT: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'must be a whole number between 1 and 65535 (0 picks a free port)')
        .transform(Number)
        .pipe(z.number().max(65535, 'must be a whole number between 1 and 65535 (0 picks a free port)'))
        .default(3000),
    ),
    ADMIN_USER_IDS: optionalText.pipe(
      z
        .string()
        .transform((v) => v.split(',').map((id) => id.trim()).filter((id) => id !== ''))
        .pipe(z.array(z.string().regex(slackId('[UW]'), 'must list Slack user ids like U0123ABCD, separated by commas')))
        .default([]),
    ),
    ALERT_FALLBACK_CHANNEL_ID: optionalText.pipe(
      z.string().regex(slackId('[CG]'), 'must be a Slack channel id like C0123ABCD').optional(),
    ),
    RECOMPUTE_CRON: optionalText.pipe(
      z
        .string()
        .refine((expr) => isValidCron(expr), 'is not a valid cron expression (e.g. "*/15 * * * *")')
        .default('*/15 * * * *'),
    ),
    LOG_LEVEL: optionalText.pipe(z.enum(['debug', 'info', 'warn', 'error']).default('info')),
    EVENT_RETENTION_DAYS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, 'must be a whole number of days from 1 to 3650')
        .transform(Number)
        .pipe(z.number().min(1, 'must be a whole number of days from 1 to 3650').max(3650, 'must be a whole number of days from 1 to 3650'))
        .default(400),
    ),
    // HubSpot account sync: on when a private-app token is set.
    HUBSPOT_TOKEN: optionalText.pipe(z.string().regex(/^\S{8,}$/, "must be a HubSpot private app's access token (pat-…)").optional()),
    HUBSPOT_RENEWAL_PROPERTY: optionalText.pipe(
      z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'must be the internal name of a HubSpot company property, like contract_renewal_date').optional(),
    ),
    HUBSPOT_API_URL: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://api.hubapi.com' })
        .transform((url) => url.replace(/\/+$/, ''))
        .default('https://api.hubapi.com'),
    ),
  });

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Configuration error: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(pickKnown(env));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const variable = first?.path[0];
    throw new ConfigError(typeof variable === 'string' ? variable : 'environment', first?.message ?? 'is invalid');
  }
  return parsed.data;
}

export type SlackMode =
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'socket'; botToken: string; appToken: string; signingSecret?: string };

/** `serve` needs Slack credentials; other commands do not. */
export function requireSlackMode(config: Config): SlackMode {
  if (!config.SLACK_BOT_TOKEN) {
    throw new ConfigError('SLACK_BOT_TOKEN', 'is required to serve the Slack app (the bot token, xoxb-…)');
  }
  if (config.SLACK_APP_TOKEN) {
    return {
      kind: 'socket',
      botToken: config.SLACK_BOT_TOKEN,
      appToken: config.SLACK_APP_TOKEN,
      ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    };
  }
  if (!config.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'is required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)',
    );
  }
  return { kind: 'http', botToken: config.SLACK_BOT_TOKEN, signingSecret: config.SLACK_SIGNING_SECRET };
}

function pickKnown(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const known: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) known[key] = env[key];
  return known;
}
