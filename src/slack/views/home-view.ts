// App Home: the user's accounts, the team's at-risk accounts, and open follow-ups.
import type { HomeView, KnownBlock } from '@slack/types';
import type { HomeSummary } from '../../reports/load-home.js';
import { context, header, MAX_VIEW_BLOCKS, section } from './block-limits.js';
import { followUpLine, listBlocks, portfolioLine } from './portfolio-lines.js';

export interface HomeData extends HomeSummary {
  alertStats?: string | null;
  /** Admins only: one status line per active event source. */
  sources?: { lines: string[]; total: number };
}

/** Sections per list: three lists and their headings stay far inside the 100-block limit. */
const LIST_BLOCKS = 8;

export function homeView(data: HomeData): HomeView {
  const blocks: KnownBlock[] = [header('Account health')];
  blocks.push(section(`*Your accounts* (${data.mine.total})`));
  blocks.push(...(data.mine.entries.length > 0 ? listBlocks(data.mine.entries.map(portfolioLine), data.mine.total, LIST_BLOCKS) : [context('No accounts list you as owner yet.')]));
  blocks.push({ type: 'divider' });
  blocks.push(section(`*At risk across the portfolio* (${data.atRisk.total})`));
  blocks.push(...(data.atRisk.entries.length > 0 ? listBlocks(data.atRisk.entries.map(portfolioLine), data.atRisk.total, LIST_BLOCKS) : [context('Nothing at risk right now. :tada:')]));
  blocks.push({ type: 'divider' });
  blocks.push(section(`*Your open follow-ups* (${data.followUps.total})`));
  if (data.followUps.entries.length === 0) blocks.push(context('None. React with :eyes: on an alert to claim one.'));
  else blocks.push(...listBlocks(data.followUps.entries.map(followUpLine), data.followUps.total, LIST_BLOCKS));
  if (data.alertStats) blocks.push(context(data.alertStats));
  if (data.sources && data.sources.lines.length > 0) {
    const more = data.sources.total - data.sources.lines.length;
    blocks.push({ type: 'divider' }, section(`*Event sources* (admins)\n${data.sources.lines.map((l) => `• ${l}`).join('\n')}${more > 0 ? `\n…and ${more} more: \`account-health source list\`` : ''}`));
  }
  blocks.push(context('Type `/health ACCOUNT` anywhere for a breakdown, `/health help` for more.'));
  // 3 lists × (8 sections + 1 note) + 10 fixed blocks: always within Slack's limit.
  if (blocks.length > MAX_VIEW_BLOCKS) throw new Error(`App Home has ${blocks.length} blocks, over Slack's ${MAX_VIEW_BLOCKS}`);
  return { type: 'home', blocks };
}
