// Secrets are masked by value, not only in key=value shapes: whatever a library
// or an error message does with the configured tokens, they never reach a line.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configuredSecrets, createLogger, redact, toBoltLogger } from '../../src/logger.js';

const BOT = 'xoxb-1111-2222-AbCdEfGhIjKl';
const APP = 'xapp-1-A0AAA-3333-ZyXwVu';
const SIGNING = 'f00dfacecafe0123456789abcdef';
const DB_PASSWORD = 'p@ss"w0rd/with:odd';

const config = loadConfig({
  SLACK_BOT_TOKEN: BOT,
  SLACK_APP_TOKEN: APP,
  SLACK_SIGNING_SECRET: SIGNING,
  DATABASE_URL: `postgres://app:${encodeURIComponent(DB_PASSWORD)}@db.internal:5432/health`,
});

function capture(secrets = configuredSecrets(config)) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(l), secrets });
  return { logger, lines, all: () => lines.join('\n') };
}

describe('configuredSecrets', () => {
  it('lists the bot token, signing secret, app token and the decoded database password', () => {
    expect(configuredSecrets(config).sort()).toEqual([BOT, SIGNING, APP, DB_PASSWORD].sort());
    expect(configuredSecrets(loadConfig({}))).toEqual([]);
  });

  it('adds the HubSpot token when the sync is configured, and masks it in a logged request', () => {
    const token = 'pat-na1-4c3b2a10-aaaa-bbbb-cccc-0123456789ab';
    const secrets = configuredSecrets(loadConfig({ HUBSPOT_TOKEN: token }));
    expect(secrets).toEqual([token]);
    const { logger, all } = capture(secrets);
    logger.warn('HubSpot request failed', { url: 'https://api.hubapi.com/crm/v3/owners', header: `Bearer ${token}`, raw: token });
    expect(all()).not.toContain(token);
  });
});

describe('masking configured secrets by value', () => {
  it.each([
    ['a bare signing secret in a message', () => `verifying with ${SIGNING}`],
    ['a secret glued to other text', () => `secret=${SIGNING}&x=1`],
    ['a secret URL-encoded in a query string', () => `GET /x?s=${encodeURIComponent(DB_PASSWORD)}`],
    ['the password with characters JSON escapes', () => `connect failed for ${DB_PASSWORD}`],
    ['a bot token inside a word boundary-less blob', () => `abc${BOT}def`],
    ['an app token after a colon', () => `app:${APP}`],
  ])('masks %s in the message', (_name, message) => {
    const { logger, all } = capture();
    logger.info(message());
    for (const secret of [BOT, APP, SIGNING, DB_PASSWORD]) expect(all()).not.toContain(secret);
    expect(all()).toContain('[redacted]');
  });

  it('masks secrets in field values, nested objects, arrays, errors and field names', () => {
    const { logger, all, lines } = capture();
    const error = new Error(`request failed: ${SIGNING}`);
    logger.warn('odd things', {
      config: { signing: SIGNING, list: ['a', APP] },
      [`key-${SIGNING}`]: 1,
      error,
      plain: 'Acme Corp 42/100',
    });
    logger.child('slack').debug(`token ${BOT} used`);
    for (const secret of [BOT, APP, SIGNING]) expect(all()).not.toContain(secret);
    // The line stays valid JSON and keeps what is not secret.
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry.plain).toBe('Acme Corp 42/100');
    expect(entry.config).toEqual({ signing: '[redacted]', list: ['a', '[redacted]'] });
  });

  it('masks through the Bolt adapter too (what Bolt and the Web API client log)', () => {
    const { logger, all } = capture();
    const bolt = toBoltLogger(logger, 'debug');
    bolt.debug('http request headers', { authorization: `Bearer ${BOT}`, other: SIGNING });
    bolt.error(new Error(`invalid_auth for ${APP}`));
    for (const secret of [BOT, APP, SIGNING]) expect(all()).not.toContain(secret);
  });

  it('ignores blank and very short configured values rather than masking ordinary words', () => {
    const { logger, lines } = capture(['', 'a', 'ok', undefined as unknown as string]);
    logger.info('a ok 42');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'a ok 42' });
  });
});

describe('masking secret-shaped strings without configuration', () => {
  it.each([
    ['a Bearer token anywhere in a message', 'curl -H "x: Bearer abc.def-ghi" http://x', 'curl -H "x: Bearer [redacted]" http://x'],
    ['a Bearer token with an unusual prefix', 'sent Bearer s3cr3t_OPAQUE_value', 'sent Bearer [redacted]'],
    ['a user token', 'xoxp-123-456-789-abc', '[redacted]'],
    ['a refresh token', 'xoxe-1-abcdef', '[redacted]'],
    ['an app token', 'xapp-1-A0-123-abc', '[redacted]'],
    ['a client secret', 'client_secret=abc123def', 'client_secret=[redacted]'],
    ['a JSON password field', '{"password":"hunter22"}', '{"password":"[redacted]"}'],
  ])('masks %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('masks a Bearer token in a logged field and never throws on odd values', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    logger.info('request', { headers: { Authorization: 'Bearer opaque-token-123' }, count: 10n, circular });
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ headers: { Authorization: 'Bearer [redacted]' }, count: '10', circular: { name: 'loop', self: '[circular]' } });
    expect(lines[0]).not.toContain('opaque-token-123');
  });
});
