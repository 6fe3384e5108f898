// Requests signed exactly as Slack signs them:
// x-slack-signature = v0=HMAC_SHA256(secret, "v0:" + ts + ":" + rawBody), hex.
import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface SignedResponse {
  status: number;
  body: string;
  json(): unknown;
  ms: number;
}

export function signBody(rawBody: string, secret: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  secret?: string;
  /** Seconds since epoch; default now. Older than 5 minutes is refused by Bolt. */
  timestamp?: number;
  /** Replace the signature (forgery tests). */
  signature?: string;
}

export async function postSigned(url: string, rawBody: string, contentType: string, options: SignOptions = {}): Promise<SignedResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? signBody(rawBody, options.secret ?? TEST_SIGNING_SECRET, timestamp);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body: rawBody,
  });
  const body = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, body, ms, json: () => (body === '' ? null : JSON.parse(body)) };
}

export interface SlashCommandFields {
  command?: string;
  text: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  team_id?: string;
  response_url: string;
  trigger_id?: string;
}

export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.team_id ?? 'T0FAKE0001',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0TESTCHAN1',
    channel_name: 'general',
    user_id: fields.user_id ?? 'U0CSM00001',
    user_name: fields.user_name ?? 'casey',
    command: fields.command ?? '/health',
    text: fields.text,
    api_app_id: 'A0FAKEAPP1',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? '1234.5678.abcdef',
  }).toString();
}

export function sendSlashCommand(eventsUrl: string, fields: SlashCommandFields, options?: SignOptions): Promise<SignedResponse> {
  return postSigned(eventsUrl, slashCommandBody(fields), 'application/x-www-form-urlencoded', options);
}

export function sendInteraction(eventsUrl: string, payload: Record<string, unknown>, options?: SignOptions): Promise<SignedResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(eventsUrl, body, 'application/x-www-form-urlencoded', options);
}

export function sendEvent(eventsUrl: string, event: Record<string, unknown>, options?: SignOptions): Promise<SignedResponse> {
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0FAKE0001',
    api_app_id: 'A0FAKEAPP1',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
  return postSigned(eventsUrl, body, 'application/json', options);
}

export function sendUrlVerification(eventsUrl: string, challenge: string, options?: SignOptions): Promise<SignedResponse> {
  const body = JSON.stringify({ token: 'deprecated-verification-token', challenge, type: 'url_verification' });
  return postSigned(eventsUrl, body, 'application/json', options);
}

/**
 * Like postSigned, for bodies the server refuses before reading them: resolves
 * with the status as soon as the response arrives, even if the server then
 * closes the connection while the body is still being sent (fetch reports
 * that as a network error, hiding the 413 that came first).
 */
export async function postSignedEarlyAnswer(url: string, rawBody: string, contentType: string, options: SignOptions = {}): Promise<{ status: number }> {
  const { request } = await import('node:http');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? signBody(rawBody, options.secret ?? TEST_SIGNING_SECRET, timestamp);
  const body = Buffer.from(rawBody, 'utf8');
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: 'POST',
      // A fresh connection: the server may close this one without reading the body.
      agent: false,
      headers: {
        'content-type': contentType,
        'content-length': String(body.length),
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}
