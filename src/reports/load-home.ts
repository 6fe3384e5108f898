// Everything App Home shows one user, in one call: their accounts, the team's
// at-risk accounts and their open follow-ups, each with its true total.
import type { Prisma } from '../db/database.js';
import { listOpenFollowUps, type FollowUp } from './list-follow-ups.js';
import { listPortfolio, type PortfolioEntry } from './list-portfolio.js';

export interface HomeSummary {
  userId: string;
  mine: { entries: PortfolioEntry[]; total: number };
  atRisk: { entries: PortfolioEntry[]; total: number };
  followUps: { entries: FollowUp[]; total: number };
}

/** How many of each list App Home loads (it shows what fits and counts the rest). */
export const HOME_LIMITS = { mine: 30, atRisk: 20, followUps: 20 } as const;

export async function loadHome(prisma: Prisma, userId: string): Promise<HomeSummary> {
  const [mine, atRisk, followUps] = await Promise.all([
    listPortfolio(prisma, { ownerSlackUserId: userId, limit: HOME_LIMITS.mine }),
    listPortfolio(prisma, { atRiskOnly: true, limit: HOME_LIMITS.atRisk }),
    listOpenFollowUps(prisma, userId, HOME_LIMITS.followUps),
  ]);
  return { userId, mine, atRisk, followUps };
}
