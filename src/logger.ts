// A small structured logger (JSON lines on stderr) that Bolt also uses. Secrets
// never reach the output: Slack tokens, API tokens and signing material are
// masked wherever they appear, including inside error messages.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
}

const SECRET_PATTERNS: [RegExp, string][] = [
  [/xox[abposr]-[A-Za-z0-9-]+/g, '[redacted]'], // Slack bot/user tokens
  [/xapp-[A-Za-z0-9-]+/g, '[redacted]'], // Slack app-level tokens
  [/ahk_[A-Za-z0-9_-]+/g, '[redacted]'], // our ingestion API tokens
  [/(authorization["':\s=]+(?:bearer\s+)?)[^\s"',}]+/gi, '$1[redacted]'],
  [/(signing[_-]?secret["':\s=]+)[^\s"',}]+/gi, '$1[redacted]'],
  [/v0=[0-9a-f]{64}/g, 'v0=[redacted]'], // request signatures
  [/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1[redacted]@'], // database passwords
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function createLogger(options: { level: Level; write?: (line: string) => void; name?: string }): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const make = (name: string | undefined): Logger => {
    const log = (level: Level, message: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < ORDER[options.level]) return;
      const entry: Record<string, unknown> = { time: new Date().toISOString(), level, ...(name ? { name } : {}), msg: message };
      if (fields) Object.assign(entry, serialiseFields(fields));
      write(redact(JSON.stringify(entry)));
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

function serialiseFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

/** Adapts our logger to the interface Bolt and the Web API client expect. */
export function toBoltLogger(logger: Logger, level: Level): BoltLogger {
  const boltLevel = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  const slack = logger.child('slack');
  return {
    debug: (...args) => slack.debug(text(args)),
    info: (...args) => slack.info(text(args)),
    warn: (...args) => slack.warn(text(args)),
    error: (...args) => slack.error(text(args)),
    setLevel: () => undefined,
    getLevel: () => boltLevel,
    setName: () => undefined,
  };
}
