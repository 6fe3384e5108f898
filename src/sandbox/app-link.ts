// How the sandbox reaches the app: exactly as Slack does, with signed HTTP
// requests to /slack/events — slash commands and interactions form-encoded,
// events as JSON envelopes — signed with this run's secret:
// x-slack-signature = v0=HMAC_SHA256(secret, "v0:" + ts + ":" + rawBody).
import { createHmac, randomBytes } from 'node:crypto';
import { APP_ID, TEAM_ID } from './workspace.js';

export const SLACK_APP_TIMEOUT_MS = 3_000;

export interface AppAnswer {
  status: number;
  body: string;
}

export function signSlackRequest(rawBody: string, secret: string, timestampSeconds: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

/** A signing secret for one run: nothing outside this process can forge a request to the app. */
export function randomSigningSecret(): string {
  return randomBytes(32).toString('hex');
}

export class AppLink {
  constructor(
    /** The app's /slack/events URL (known once the app listens). */
    private readonly eventsUrl: () => string,
    private readonly secret: string,
    /** Slack gives up on an app after 3 seconds; tests on a loaded machine may allow more. */
    private readonly timeoutMs = SLACK_APP_TIMEOUT_MS,
  ) {}

  async command(fields: Record<string, string>): Promise<AppAnswer> {
    const body = new URLSearchParams({ token: 'sandbox', team_id: TEAM_ID, team_domain: 'sandbox', api_app_id: APP_ID, is_enterprise_install: 'false', ...fields }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  async interaction(payload: Record<string, unknown>): Promise<AppAnswer> {
    const body = new URLSearchParams({ payload: JSON.stringify({ token: 'sandbox', api_app_id: APP_ID, team: { id: TEAM_ID, domain: 'sandbox' }, is_enterprise_install: false, enterprise: null, ...payload }) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  async event(event: Record<string, unknown>): Promise<AppAnswer> {
    const body = JSON.stringify({
      token: 'sandbox',
      team_id: TEAM_ID,
      api_app_id: APP_ID,
      type: 'event_callback',
      event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM_ID, user_id: 'U0SANDBOT1', is_bot: true }],
      event,
    });
    return this.post(body, 'application/json');
  }

  private async post(rawBody: string, contentType: string): Promise<AppAnswer> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(this.eventsUrl(), {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(rawBody, this.secret, timestamp) },
        body: rawBody,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  }
}
