import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../src/logger.js';

describe('redact', () => {
  it.each([
    ['token xoxb-123-456-abcDEF here', 'token [redacted] here'],
    ['app xapp-1-A0-123-abc', 'app [redacted]'],
    ['api ahk_Zm9vYmFyYmF6', 'api [redacted]'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer [redacted]'],
    ['{"authorization":"Bearer ahk_x"}', '{"authorization":"Bearer [redacted]"}'],
    ['signing_secret=s3cr3t', 'signing_secret=[redacted]'],
    [`sig v0=${'a'.repeat(64)}`, 'sig v0=[redacted]'],
    ['postgres://app:hunter2@db:5432/x', 'postgres://app:[redacted]@db:5432/x'],
  ])('masks %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(redact('Acme Corp score 42/100')).toBe('Acme Corp score 42/100');
  });
});

describe('createLogger', () => {
  it('writes JSON lines at or above its level, secrets masked, errors serialised', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) }).child('ingest');
    logger.debug('hidden');
    logger.info('token used', { token: 'ahk_secretvalue', user: 'U1' });
    logger.error('failed', { error: new Error('boom xoxb-1-2-3') });
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] ?? '{}');
    expect(first).toMatchObject({ level: 'info', name: 'ingest', msg: 'token used', token: '[redacted]', user: 'U1' });
    expect(lines[1]).toContain('boom [redacted]');
    expect(lines.join('\n')).not.toMatch(/ahk_secret|xoxb-1/);
  });
});
