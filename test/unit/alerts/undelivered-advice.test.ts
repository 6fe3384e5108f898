// What the /health breakdown tells people about an alert that did not reach Slack.
import { describe, expect, it } from 'vitest';
import { adviseUndelivered } from '../../../src/alerts/delivery-status.js';
import type { HealthReport } from '../../../src/reports/build-health-report.js';
import { healthBreakdownMessage } from '../../../src/slack/views/health-views.js';

describe('adviseUndelivered', () => {
  it('asks for an invite when the bot is kept out of the channel', () => {
    const advice = adviseUndelivered('C0PRIV0001', 'not_in_channel: the bot could not join (method_not_supported_for_channel_type; private channel?)');
    expect(advice.fix).toContain('invite the bot to <#C0PRIV0001>');
    expect(advice.fix).toContain('ALERT_FALLBACK_CHANNEL_ID');
    expect(adviseUndelivered('C0GONE0001', 'channel_not_found').fix).toContain('invite the bot');
    expect(adviseUndelivered('C0ARCH0001', 'is_archived').fix).toContain('point the account at another channel');
  });
  it('asks for a channel when the account has none', () => {
    expect(adviseUndelivered(null, null)).toMatchObject({ reason: 'the account has no Slack channel', fix: expect.stringContaining('slack_channel_id') });
  });
  it('points at the token and channel for other failures', () => {
    expect(adviseUndelivered('C0X0000001', 'gave up after 5 attempts: invalid_auth').fix).toContain('check the bot token');
  });
});

describe('the breakdown', () => {
  const report: HealthReport = {
    account: { id: 1, externalId: 'A', name: 'Acme', domain: null, segment: null, ownerSlackUserId: null, slackChannelId: 'C0PRIV0001', arr: null, renewalDate: null, churnedOn: null },
    snapshot: { asOf: new Date('2026-11-20T10:00:00Z'), score: 41.6, band: 'at_risk', completeness: 1, modelName: 'Default', modelVersion: 1 },
    trend: null,
    components: [],
    newestObservation: null,
    openAlert: { id: 3, state: 'open', claimedBy: null, claimedAt: null, createdAt: new Date('2026-11-18T00:00:00Z') },
    sentiment: null,
    daysToRenewal: null,
    actions: [],
  };
  it('says nothing about delivery when the alert was posted', () => {
    expect(JSON.stringify(healthBreakdownMessage(report).blocks)).not.toContain('not posted');
  });
  it('names the reason and the fix when it was not', () => {
    const text = JSON.stringify(healthBreakdownMessage({ ...report, undelivered: adviseUndelivered('C0PRIV0001', 'not_in_channel') }).blocks);
    expect(text).toContain(':warning: *This alert was not posted to Slack*: not_in_channel. To fix: invite the bot to <#C0PRIV0001>');
  });
});
