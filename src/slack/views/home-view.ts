// App Home: the user's accounts, the team's at-risk accounts, and open follow-ups.
import type { HomeView, KnownBlock } from '@slack/types';
import { BAND_EMOJI, formatScore } from '../../reports/format.js';
import type { PortfolioEntry } from '../../reports/list-portfolio.js';
import { capBlocks, context, escapeMrkdwn, header, limitList, MAX_VIEW_BLOCKS, section } from './block-limits.js';

export interface HomeData {
  userId: string;
  mine: { entries: PortfolioEntry[]; total: number };
  atRisk: { entries: PortfolioEntry[]; total: number };
  followUps: { accountName: string; externalId: string; alertId: number; state: string; claimedBy: string | null; openedAt: Date }[];
  alertStats: string | null;
}

function lines(entries: readonly PortfolioEntry[], total: number, max: number): KnownBlock[] {
  const { shown, more } = limitList(entries, max, total);
  const out: KnownBlock[] = [section(shown.map((e) => `${BAND_EMOJI[e.band]} *${formatScore(e.score)}* ${escapeMrkdwn(e.name)} \`${escapeMrkdwn(e.externalId)}\`${e.openAlertId ? (e.claimedBy ? ` · :eyes: <@${e.claimedBy}>` : ' · :rotating_light: unclaimed') : ''}`).join('\n'))];
  if (more) out.push(context(more));
  return out;
}

export function homeView(data: HomeData): HomeView {
  const blocks: KnownBlock[] = [header('Account health')];
  blocks.push(section(`*Your accounts* (${data.mine.total})`));
  blocks.push(...(data.mine.entries.length > 0 ? lines(data.mine.entries, data.mine.total, 30) : [context('No accounts list you as owner yet.')]));
  blocks.push({ type: 'divider' });
  blocks.push(section(`*At risk across the portfolio* (${data.atRisk.total})`));
  blocks.push(...(data.atRisk.entries.length > 0 ? lines(data.atRisk.entries, data.atRisk.total, 20) : [context('Nothing at risk right now. :tada:')]));
  blocks.push({ type: 'divider' });
  blocks.push(section(`*Your open follow-ups* (${data.followUps.length})`));
  if (data.followUps.length === 0) blocks.push(context('None. React with :eyes: on an alert to claim one.'));
  else {
    const { shown, more } = limitList(data.followUps, 20);
    blocks.push(section(shown.map((f) => `• *${escapeMrkdwn(f.accountName)}* \`${escapeMrkdwn(f.externalId)}\` — alert #${f.alertId}, ${f.claimedBy ? `claimed by <@${f.claimedBy}>` : 'unclaimed'}, opened ${f.openedAt.toISOString().slice(0, 10)}`).join('\n')));
    if (more) blocks.push(context(more));
  }
  if (data.alertStats) blocks.push(context(data.alertStats));
  blocks.push(context('Type `/health ACCOUNT` anywhere for a breakdown, `/health help` for more.'));
  return { type: 'home', blocks: capBlocks(blocks, MAX_VIEW_BLOCKS) };
}
