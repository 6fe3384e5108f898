// App Home, rebuilt each time the user opens it.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { loadHome } from '../../reports/load-home.js';
import { loadSourceStatusLines } from '../../events/load-source-status.js';
import { AdminCheck } from '../../tuning/is-admin.js';
import { homeView, type HomeData } from '../views/home-view.js';

export function registerHome(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const home: HomeData = await loadHome(deps.db.prisma, event.user);
    // Admins also see how each event source is doing (as `account-health source list` shows it).
    const sources = await loadSourceStatusLines(deps.db.prisma, deps.clock());
    if (sources.total > 0 && (await new AdminCheck(deps.config.ADMIN_USER_IDS, deps.slack).check(event.user)) === 'admin') home.sources = sources;
    await client.views.publish({ user_id: event.user, view: homeView(home) });
  });
}
