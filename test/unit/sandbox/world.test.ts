// The sandbox's pure parts around the app: which accounts have news on a
// simulated day, when start-up is refused, how channels are named, and the
// view.state the page's form becomes.
import { describe, expect, it } from 'vitest';
import { actionPayload, stateValues } from '../../../src/sandbox/block-elements.js';
import { channelName } from '../../../src/sandbox/channel-name.js';
import { looksLikeRealBotToken, sandboxRefusal } from '../../../src/sandbox/guard.js';
import { SandboxClock } from '../../../src/sandbox/sandbox-clock.js';
import { BAD_DAY_METRICS, planDayNews, type NewsCandidate } from '../../../src/sandbox/world/day-news.js';

const candidate = (i: number, over: Partial<NewsCandidate> = {}): NewsCandidate => ({
  accountId: i, externalId: `DEMO-${String(i).padStart(5, '0')}`, name: `Account ${i}`, segment: 'smb', band: 'healthy', hasChannel: true, hasOpenAlert: false, ...over,
});

describe('planDayNews', () => {
  const candidates = [...Array.from({ length: 20 }, (_, i) => candidate(i + 1)), candidate(30, { hasChannel: false }), candidate(31, { band: 'critical' }), candidate(40, { hasOpenAlert: true, band: 'at_risk' })];

  it('gives two healthy accounts with a channel a bad day: their usage falls to poor levels', () => {
    const news = planDayNews(candidates, 1).filter((n) => n.kind === 'bad_day');
    expect(news).toHaveLength(2);
    for (const n of news) {
      expect(n.accountId).toBeLessThanOrEqual(20);
      expect(n.values.map((v) => v.metricKey)).toEqual([...BAD_DAY_METRICS]);
      expect(n.values.find((v) => v.metricKey === 'logins_30d')?.value).toBe(5);
    }
  });

  it('lets an account with an open alert recover every other day', () => {
    expect(planDayNews(candidates, 1).some((n) => n.kind === 'recovery')).toBe(false);
    const recovery = planDayNews(candidates, 2).find((n) => n.kind === 'recovery');
    expect(recovery?.accountId).toBe(40);
  });

  it('brings the same news for the same day, and other news on other days', () => {
    expect(planDayNews(candidates, 3)).toEqual(planDayNews([...candidates].reverse(), 3));
    const days = new Set(Array.from({ length: 6 }, (_, d) => planDayNews(candidates, d + 1).map((n) => n.accountId).join(',')));
    expect(days.size).toBeGreaterThan(1);
  });

  it('is quiet when no account fits', () => {
    expect(planDayNews([candidate(1, { hasChannel: false })], 1)).toEqual([]);
  });
});

describe('sandboxRefusal', () => {
  const config = { SLACK_BOT_TOKEN: undefined, DATABASE_URL: undefined, DATA_DIR: './data' };
  const none = { count: 0, examples: [] };

  it('refuses a real-looking bot token, not a placeholder', () => {
    expect(looksLikeRealBotToken('xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx')).toBe(true);
    expect(looksLikeRealBotToken('xoxb-test-token')).toBe(false);
    expect(sandboxRefusal({ config: { ...config, SLACK_BOT_TOKEN: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx' }, realAccounts: none }, false)).toMatch(/SLACK_BOT_TOKEN/);
  });

  it('refuses a database holding non-demo accounts, naming it and some of them', () => {
    const refusal = sandboxRefusal({ config: { ...config, DATABASE_URL: 'postgres://x/y' }, realAccounts: { count: 2, examples: ['acme', 'globex'] } }, false);
    expect(refusal).toMatch(/DATABASE_URL/);
    expect(refusal).toMatch(/2 account\(s\).*acme, globex/);
  });

  it('starts on demo data, or anywhere with --force', () => {
    expect(sandboxRefusal({ config, realAccounts: none }, false)).toBeNull();
    expect(sandboxRefusal({ config, realAccounts: { count: 5, examples: ['a'] } }, true)).toBeNull();
  });
});

describe('channelName', () => {
  it('names a channel after its account, as a team would', () => {
    expect(channelName('Acme Foods LLC')).toBe('acme-foods-llc');
    expect(channelName('Café Zürich & Co.')).toBe('cafe-zurich-co');
    expect(channelName('***')).toBe('account');
  });
});

describe('SandboxClock', () => {
  it('runs with the wall clock plus the days moved on', () => {
    const clock = new SandboxClock(() => 1_000);
    expect(clock.now().getTime()).toBe(1_000);
    clock.advanceDays(2);
    expect(clock.day).toBe(2);
    expect(clock.now().getTime()).toBe(1_000 + 2 * 86_400_000);
  });
});

describe('block actions and view state', () => {
  const blocks = [
    { type: 'actions', block_id: 'a', elements: [{ type: 'button', action_id: 'claim', text: { type: 'plain_text', text: 'Claim' }, value: '12' }, { type: 'static_select', action_id: 'pick', options: [{ text: { type: 'plain_text', text: 'SMB' }, value: 'smb' }] }] },
    { type: 'input', block_id: 'w', label: { type: 'plain_text', text: 'Weight' }, element: { type: 'plain_text_input', action_id: 'value' } },
    { type: 'input', block_id: 'r', label: { type: 'plain_text', text: 'Remove' }, element: { type: 'multi_static_select', action_id: 'value', options: [{ text: { type: 'plain_text', text: 'NPS' }, value: 'nps' }] } },
  ];

  it('takes a button\'s value from the stored block, never from the page', () => {
    expect(actionPayload(blocks, 'a', 'claim', 'forged', '1.2')).toMatchObject({ action_id: 'claim', block_id: 'a', type: 'button', value: '12' });
    expect(actionPayload(blocks, 'a', 'gone', undefined, '1.2')).toBeNull();
  });

  it('accepts only offered options', () => {
    expect(actionPayload(blocks, 'a', 'pick', 'smb', '1.2')).toMatchObject({ selected_option: { value: 'smb' } });
    expect(actionPayload(blocks, 'a', 'pick', 'enterprise', '1.2')).toBeNull();
  });

  it('builds view.state.values keyed by block and action ids', () => {
    expect(stateValues(blocks, { 'w/value': '40', 'r/value': ['nps', 'made-up'], 'a/pick': 'smb' })).toEqual({
      a: { pick: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'SMB' }, value: 'smb' } } },
      w: { value: { type: 'plain_text_input', value: '40' } },
      r: { value: { type: 'multi_static_select', selected_options: [{ text: { type: 'plain_text', text: 'NPS' }, value: 'nps' }] } },
    });
    expect(stateValues(blocks, {}).w).toEqual({ value: { type: 'plain_text_input', value: null } });
  });
});
