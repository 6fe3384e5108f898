// Who may change models: users in ADMIN_USER_IDS, and workspace admins/owners
// (users.info). Checked again on every submission, never trusted from the view.
import type { WebClient } from '@slack/web-api';

const CACHE_MS = 60_000;

export class AdminCheck {
  private readonly cache = new Map<string, { admin: boolean; at: number }>();

  constructor(private readonly adminUserIds: readonly string[], private readonly slack: WebClient) {}

  async isAdmin(userId: string): Promise<boolean> {
    if (this.adminUserIds.includes(userId)) return true;
    const cached = this.cache.get(userId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.admin;
    const info = await this.slack.users.info({ user: userId }).catch(() => null);
    const admin = info?.user?.is_admin === true || info?.user?.is_owner === true || info?.user?.is_primary_owner === true;
    this.cache.set(userId, { admin, at: Date.now() });
    return admin;
  }
}
