import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireSlackMode } from '../../src/config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      DATA_DIR: './data',
      PORT: 3000,
      ADMIN_USER_IDS: [],
      RECOMPUTE_CRON: '*/15 * * * *',
      LOG_LEVEL: 'info',
      EVENT_RETENTION_DAYS: 400,
      HUBSPOT_API_URL: 'https://api.hubapi.com',
    });
  });

  it('reads the HubSpot sync settings and names a bad one', () => {
    const config = loadConfig({ HUBSPOT_TOKEN: 'pat-na1-0123abcd', HUBSPOT_RENEWAL_PROPERTY: 'contract_renewal_date', HUBSPOT_API_URL: 'http://127.0.0.1:9/' });
    expect(config).toMatchObject({ HUBSPOT_TOKEN: 'pat-na1-0123abcd', HUBSPOT_RENEWAL_PROPERTY: 'contract_renewal_date', HUBSPOT_API_URL: 'http://127.0.0.1:9' });
    expect(() => loadConfig({ HUBSPOT_RENEWAL_PROPERTY: 'Renewal Date' })).toThrow('Configuration error: HUBSPOT_RENEWAL_PROPERTY must be the internal name of a HubSpot company property');
    expect(() => loadConfig({ HUBSPOT_API_URL: 'ftp://x' })).toThrow('Configuration error: HUBSPOT_API_URL must be an http(s) URL');
  });

  it('parses every variable it knows', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://app@db:5432/health',
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_SIGNING_SECRET: 'secret-123456',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      PORT: '8080',
      ADMIN_USER_IDS: 'U0ADMIN01, W0ADMIN02',
      RECOMPUTE_CRON: '0 * * * *',
      ALERT_FALLBACK_CHANNEL_ID: 'C0FALLBACK',
    });
    expect(config.DATABASE_URL).toBe('postgresql://app@db:5432/health');
    expect(config.SLACK_API_URL).toBe('http://127.0.0.1:9999/api/');
    expect(config.PORT).toBe(8080);
    expect(config.ADMIN_USER_IDS).toEqual(['U0ADMIN01', 'W0ADMIN02']);
    expect(config.ALERT_FALLBACK_CHANNEL_ID).toBe('C0FALLBACK');
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_APP_TOKEN: 'xoxb-wrong' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_API_URL: 'ftp://x' }, 'SLACK_API_URL'],
    [{ ADMIN_USER_IDS: 'U0ADMIN01,alice' }, 'ADMIN_USER_IDS'],
    [{ RECOMPUTE_CRON: 'every minute' }, 'RECOMPUTE_CRON'],
    [{ ALERT_FALLBACK_CHANNEL_ID: '#general' }, 'ALERT_FALLBACK_CHANNEL_ID'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ EVENT_RETENTION_DAYS: '0' }, 'EVENT_RETENTION_DAYS'],
    [{ EVENT_RETENTION_DAYS: 'a year' }, 'EVENT_RETENTION_DAYS'],
  ])('rejects %o naming %s in one line', (env, variable) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message.startsWith(`Configuration error: ${variable} `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '  ', PORT: '' }).PORT).toBe(3000);
  });
});

describe('requireSlackMode', () => {
  it('needs a bot token', () => {
    expect(() => requireSlackMode(loadConfig({}))).toThrow(/SLACK_BOT_TOKEN is required/);
  });
  it('needs a signing secret in HTTP mode', () => {
    expect(() => requireSlackMode(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(/SLACK_SIGNING_SECRET is required/);
  });
  it('uses Socket Mode when an app token is set', () => {
    expect(requireSlackMode(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).kind).toBe('socket');
  });
  it('uses HTTP mode with bot token and signing secret', () => {
    expect(requireSlackMode(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123456' }))).toEqual({
      kind: 'http',
      botToken: 'xoxb-1',
      signingSecret: 'secret-123456',
    });
  });
});
