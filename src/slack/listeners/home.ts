// App Home, rebuilt each time the user opens it.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { listPortfolio } from '../../reports/list-portfolio.js';
import { homeView } from '../views/home-view.js';

export function registerHome(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const prisma = deps.db.prisma;
    const [mine, atRisk, followUps] = await Promise.all([
      listPortfolio(prisma, { ownerSlackUserId: event.user, limit: 30 }),
      listPortfolio(prisma, { atRiskOnly: true, limit: 20 }),
      prisma.alert.findMany({
        where: { openKey: { not: null }, OR: [{ claimedBy: event.user }, { account: { ownerSlackUserId: event.user } }] },
        include: { account: { select: { name: true, externalId: true } } },
        orderBy: { createdAt: 'desc' },
        take: 25,
      }),
    ]);
    await client.views.publish({
      user_id: event.user,
      view: homeView({
        userId: event.user,
        mine,
        atRisk,
        followUps: followUps.map((a) => ({ accountName: a.account.name, externalId: a.account.externalId, alertId: a.id, state: a.state, claimedBy: a.claimedBy, openedAt: a.createdAt })),
        alertStats: null,
      }),
    });
  });
}
