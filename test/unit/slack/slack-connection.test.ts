import { describe, expect, it } from 'vitest';
import { backoffDelay, classifySlackFailure, SlackConnection } from '../../../src/slack/slack-connection.js';
import { createLogger } from '../../../src/logger.js';

describe('Slack connection state', () => {
  it('backs off by doubling up to the cap', () => {
    const b = { initialMs: 2_000, maxMs: 60_000 };
    expect([0, 1, 2, 3, 4, 5, 6, 100].map((n) => backoffDelay(n, b))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });
  it('only a refused credential counts as rejected', () => {
    expect(classifySlackFailure({ data: { error: 'invalid_auth' } })).toBe('rejected');
    expect(classifySlackFailure(new Error('An API error occurred: token_revoked'))).toBe('rejected');
    expect(classifySlackFailure(new Error('A request error occurred: connect ECONNREFUSED 127.0.0.1:9'))).toBe('unreachable');
    expect(classifySlackFailure({ data: { error: 'ratelimited' } })).toBe('unreachable');
  });
  it('retries in the background until Slack answers, then keeps its identity', async () => {
    let calls = 0;
    const connection = new SlackConnection(async () => {
      calls += 1;
      if (calls < 3) return { kind: 'unreachable', error: new Error('ECONNREFUSED') };
      return { kind: 'verified', botUserId: 'UBOT', botId: 'BBOT' };
    }, createLogger({ level: 'error', write: () => undefined }), { initialMs: 5, maxMs: 10 });
    expect((await connection.check()).kind).toBe('unreachable');
    expect(connection.state).toBe('unverified');
    connection.retryInBackground();
    for (let i = 0; i < 200 && connection.state !== 'verified'; i += 1) await new Promise((r) => setTimeout(r, 5));
    expect(connection.state).toBe('verified');
    expect(connection.botUserId).toBe('UBOT');
    expect(calls).toBe(3);
    connection.stop();
  });
});
