// A small structured logger (JSON lines on stderr) that Bolt also uses. Secrets
// never reach the output: the configured secret values (bot token, signing
// secret, app token, database password) are masked wherever they appear, and so
// is anything shaped like a Slack token, an API token, a Bearer credential or a
// request signature, in messages, field values and error messages alike.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Config } from './config.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
}

export interface LoggerOptions {
  level: Level;
  write?: (line: string) => void;
  name?: string;
  /** Values masked by value wherever they appear (blank and very short values are ignored). */
  secrets?: readonly (string | undefined)[];
}

const MASK = '[redacted]';

const SECRET_PATTERNS: [RegExp, string][] = [
  [/xox[a-z]-[A-Za-z0-9-]+/g, MASK], // Slack bot/user/refresh/config tokens
  [/xapp-[A-Za-z0-9-]+/g, MASK], // Slack app-level tokens
  [/ahk_[A-Za-z0-9_-]+/g, MASK], // our ingestion API tokens
  [/(authorization["':\s=]+(?:bearer\s+)?)[^\s"',}]+/gi, `$1${MASK}`],
  // A Bearer credential wherever it turns up (a header echoed in an error, a curl line).
  [/(\bbearer\s+)(?!\[redacted\])[^\s"',}\\]+/gi, `$1${MASK}`],
  [/((?:signing|client)[_-]?secret["':\s=]+)[^\s"',}]+/gi, `$1${MASK}`],
  [/(password["':\s=]+)[^\s"',}]+/gi, `$1${MASK}`],
  [/v0=[0-9a-f]{64}/g, `v0=${MASK}`], // request signatures
  [/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, `$1${MASK}@`], // database passwords
];

/** Shorter values would mask ordinary words; every real secret is longer. */
const MIN_SECRET_LENGTH = 8;

/**
 * Masks `secrets` by value (as written, as JSON escapes it, and URL-encoded),
 * then every secret-shaped string.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const form of secretForms(secrets)) out = out.split(form).join(MASK);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The secret values in the configuration, for `LoggerOptions.secrets`. */
export function configuredSecrets(config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'DATABASE_URL'> & Partial<Pick<Config, 'HUBSPOT_TOKEN'>>): string[] {
  const values = [config.SLACK_BOT_TOKEN, config.SLACK_SIGNING_SECRET, config.SLACK_APP_TOKEN, config.HUBSPOT_TOKEN].filter((v): v is string => v !== undefined);
  if (config.DATABASE_URL) {
    try {
      const password = new URL(config.DATABASE_URL).password;
      if (password) values.push(decodeURIComponent(password));
    } catch {
      // config.ts only lets postgres:// URLs through; an unparsable one has no password to find.
    }
  }
  return values;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = [...(options.secrets ?? [])];
  const make = (name: string | undefined): Logger => {
    const log = (level: Level, message: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < ORDER[options.level]) return;
      const entry: Record<string, unknown> = { time: new Date().toISOString(), level, ...(name ? { name } : {}), msg: message };
      if (fields) Object.assign(entry, serialiseFields(fields));
      write(redact(toJson(entry), secrets));
    };
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (child) => make(name ? `${name}.${child}` : child),
    };
  };
  return make(options.name);
}

/** Logging must never throw: BigInts become strings; a circular field is cut, not followed. */
function toJson(entry: Record<string, unknown>): string {
  const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
  try {
    return JSON.stringify(entry, bigints);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(entry, (key, value: unknown) => {
      if (typeof value === 'object' && value !== null) {
        if (seen.has(value)) return '[circular]';
        seen.add(value);
      }
      return bigints(key, value);
    });
  }
}

function serialiseFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

/** Bolt and the Web API client log arbitrary values; one that JSON cannot hold must not throw. */
function stringifyArg(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Adapts our logger to the interface Bolt and the Web API client expect. */
export function toBoltLogger(logger: Logger, level: Level): BoltLogger {
  const boltLevel = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : stringifyArg(a))).join(' ');
  const slack = logger.child('slack');
  // The level given here may be stricter than the logger's (a client whose failures are reported elsewhere).
  const order: Level[] = ['debug', 'info', 'warn', 'error'];
  const shows = (l: Level) => order.indexOf(l) >= order.indexOf(level);
  return {
    debug: (...args) => shows('debug') && slack.debug(text(args)),
    info: (...args) => shows('info') && slack.info(text(args)),
    warn: (...args) => shows('warn') && slack.warn(text(args)),
    error: (...args) => slack.error(text(args)),
    setLevel: () => undefined,
    getLevel: () => boltLevel,
    setName: () => undefined,
  };
}
