// /health for admins while a shadow model runs: the shadow score beside the
// live one, so an admin can watch the suggested weights before deciding.
// Everyone else sees the breakdown unchanged (and no users.info call is made
// unless the account has a shadow score at all).
import type { KnownBlock } from '@slack/types';
import type { AppDeps } from '../app-deps.js';
import { BAND_LABEL, formatScore } from '../reports/format.js';
import { loadShadowScore } from '../shadow/shadow-store.js';
import type { SnapshotBand } from '../scoring/types.js';
import { AdminCheck } from '../tuning/is-admin.js';
import { context, MAX_MESSAGE_BLOCKS } from './views/block-limits.js';
import type { SlackMessage } from './views/health-views.js';

const isBand = (band: string): band is SnapshotBand => band in BAND_LABEL;

export function shadowNote(shadow: { score: number | null; band: string; endsAt: Date; modelKey: string }): KnownBlock {
  const band = isBand(shadow.band) ? BAND_LABEL[shadow.band] : shadow.band;
  return context(`:eyes: *Shadow* (suggested weights for ${shadow.modelKey}, until ${shadow.endsAt.toISOString().slice(0, 10)}; admins only): ${formatScore(shadow.score)} ${band}. Live scores and alerts use the current model.`);
}

export async function withShadowForAdmins(deps: AppDeps, userId: string, accountId: number, message: SlackMessage): Promise<SlackMessage> {
  const shadow = await loadShadowScore(deps.db.prisma, accountId, deps.clock());
  if (!shadow || message.blocks.length >= MAX_MESSAGE_BLOCKS) return message;
  const access = await new AdminCheck(deps.config.ADMIN_USER_IDS, deps.slack).check(userId);
  if (access !== 'admin') return message;
  return { ...message, blocks: [...message.blocks, shadowNote(shadow)] };
}
