// HubSpot owners → Slack users, by e-mail (users.lookupByEmail, which needs the
// users:read.email scope). An owner with no Slack account, or one Slack will
// not name, leaves the account's owner as it was and is listed in the summary.
import type { WebClient } from '@slack/web-api';
import { ErrorCode } from '@slack/web-api';
import { z } from 'zod';
import { slackPlatformError } from '../../slack/slack-errors.js';

const rateLimitedSchema = z.object({ code: z.literal(ErrorCode.RateLimitedError), retryAfter: z.number() });
const userSchema = z.object({ user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]+$/) }) });

export type SlackLookup = { ok: true; userId: string } | { ok: false; reason: string };

export async function lookupSlackUserByEmail(slack: WebClient, email: string, sleep: (ms: number) => Promise<void>, attempts = 3): Promise<SlackLookup> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const parsed = userSchema.safeParse(await slack.users.lookupByEmail({ email }));
      return parsed.success ? { ok: true, userId: parsed.data.user.id } : { ok: false, reason: 'Slack answered without a user id' };
    } catch (error) {
      const limited = rateLimitedSchema.safeParse(error);
      if (limited.success && attempt < attempts) {
        await sleep(Math.min(limited.data.retryAfter, 60) * 1000);
        continue;
      }
      const platform = slackPlatformError(error);
      if (platform === 'users_not_found') return { ok: false, reason: 'no Slack user has this e-mail' };
      if (platform === 'missing_scope') return { ok: false, reason: 'the Slack app lacks the users:read.email scope (reinstall it from manifests/)' };
      if (platform !== null) return { ok: false, reason: `Slack answered ${platform}` };
      throw error;
    }
  }
}

export interface OwnerMapping {
  /** HubSpot owner id → Slack user id. */
  slackUserByOwner: Map<string, string>;
  /** Owners left unmapped, with why. */
  unmatched: { ownerId: string; email: string | null; reason: string }[];
}

export async function mapOwnersToSlack(
  owners: readonly { id: string; email?: string | null | undefined }[],
  slack: WebClient | null,
  sleep: (ms: number) => Promise<void>,
): Promise<OwnerMapping> {
  const slackUserByOwner = new Map<string, string>();
  const unmatched: OwnerMapping['unmatched'] = [];
  const byEmail = new Map<string, SlackLookup>();
  for (const owner of owners) {
    const email = owner.email?.trim().toLowerCase() || null;
    if (email === null) {
      unmatched.push({ ownerId: owner.id, email, reason: 'the HubSpot owner has no e-mail' });
      continue;
    }
    if (slack === null) {
      unmatched.push({ ownerId: owner.id, email, reason: 'SLACK_BOT_TOKEN is not set' });
      continue;
    }
    const found = byEmail.get(email) ?? (await lookupSlackUserByEmail(slack, email, sleep));
    byEmail.set(email, found);
    if (found.ok) slackUserByOwner.set(owner.id, found.userId);
    else unmatched.push({ ownerId: owner.id, email, reason: found.reason });
  }
  return { slackUserByOwner, unmatched };
}
