// Who may change models: users in ADMIN_USER_IDS, and workspace admins/owners
// (users.info). Checked again on every submission, never trusted from the view.
// Only Slack's definite answers are cached: a timeout or outage must not lock
// an admin out for a minute, and users.info gets a short deadline so a view
// submission can still be acknowledged within Slack's 3 seconds.
import type { WebClient } from '@slack/web-api';
import { slackPlatformError } from '../slack/slack-errors.js';

export type AdminAccess = 'admin' | 'not_admin' | 'unverified';

export interface AdminCheckOptions {
  /** How long to wait for users.info before answering "unverified". */
  timeoutMs?: number;
  cacheMs?: number;
}

/** users.info answers meaning "this user is certainly not an admin". */
const DEFINITE_NO = new Set(['user_not_found', 'user_not_visible', 'account_inactive']);

class TimedOut extends Error {
  constructor(ms: number) {
    super(`users.info did not answer within ${ms} ms`);
    this.name = 'TimedOut';
  }
}

export class AdminCheck {
  private readonly cache = new Map<string, { admin: boolean; at: number }>();
  private readonly timeoutMs: number;
  private readonly cacheMs: number;

  constructor(
    private readonly adminUserIds: readonly string[],
    private readonly slack: Pick<WebClient, 'users'>,
    options: AdminCheckOptions = {},
    private readonly onUnverified: (userId: string, error: unknown) => void = () => {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.cacheMs = options.cacheMs ?? 60_000;
  }

  async check(userId: string): Promise<AdminAccess> {
    if (this.adminUserIds.includes(userId)) return 'admin';
    const cached = this.cache.get(userId);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.admin ? 'admin' : 'not_admin';
    try {
      const info = await this.withDeadline(this.slack.users.info({ user: userId }));
      const admin = info.user?.is_admin === true || info.user?.is_owner === true || info.user?.is_primary_owner === true;
      this.cache.set(userId, { admin, at: Date.now() });
      return admin ? 'admin' : 'not_admin';
    } catch (error) {
      const slackError = slackPlatformError(error);
      if (slackError !== null && DEFINITE_NO.has(slackError)) return 'not_admin';
      this.onUnverified(userId, error);
      return 'unverified';
    }
  }

  private async withDeadline<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut(this.timeoutMs)), this.timeoutMs);
    });
    try {
      return await Promise.race([call, deadline]);
    } finally {
      clearTimeout(timer);
      // The abandoned call may still fail later; that is already accounted for.
      call.catch(() => {});
    }
  }
}
