// What a failed Slack call means for delivery. Classified by the error's
// `code` (the Web API client is CommonJS; its classes are not reliable named
// imports under plain node, see shared/SLACK-OFFLINE.md).
export type SlackFailure =
  /** Slack said slow down: certainly not posted; retry after the given seconds. */
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  /** Slack answered ok:false: certainly not posted. */
  | { kind: 'platform'; error: string }
  /** 5xx, timeout, network: it may or may not have been posted. */
  | { kind: 'uncertain'; detail: string };

export function classifySlackError(error: unknown): SlackFailure {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'slack_webapi_rate_limited_error') {
    const retryAfter = typeof error === 'object' && error !== null && 'retryAfter' in error && typeof error.retryAfter === 'number' ? error.retryAfter : 1;
    return { kind: 'rate_limited', retryAfterSeconds: retryAfter };
  }
  if (code === 'slack_webapi_platform_error') {
    const data = typeof error === 'object' && error !== null && 'data' in error ? error.data : undefined;
    const slackError = typeof data === 'object' && data !== null && 'error' in data && typeof data.error === 'string' ? data.error : 'unknown_error';
    return { kind: 'platform', error: slackError };
  }
  return { kind: 'uncertain', detail: error instanceof Error ? error.message : String(error) };
}

/** Errors no retry will fix: the message is marked failed and reported. */
export const PERMANENT_ERRORS = new Set([
  'channel_not_found', 'is_archived', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked',
  'missing_scope', 'restricted_action', 'msg_too_long', 'invalid_blocks', 'no_text', 'cant_update_message', 'message_not_found',
]);
