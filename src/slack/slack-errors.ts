// Reading Web API failures by their `code`: the client is CommonJS and its
// error classes are not reliable named imports under plain node (see
// shared/SLACK-OFFLINE.md), so the shape is checked with zod instead.
import { ErrorCode } from '@slack/web-api';
import { z } from 'zod';

const platformErrorSchema = z.object({ code: z.literal(ErrorCode.PlatformError), data: z.object({ error: z.string() }) });

/** Slack's `error` string when Slack answered ok:false (e.g. "user_not_found", "hash_conflict"); null for timeouts, 5xx, network. */
export function slackPlatformError(error: unknown): string | null {
  const parsed = platformErrorSchema.safeParse(error);
  return parsed.success ? parsed.data.data.error : null;
}
