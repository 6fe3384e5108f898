// App Home, rebuilt each time the user opens it.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../../app-deps.js';
import { loadHome } from '../../reports/load-home.js';
import { homeView } from '../views/home-view.js';

export function registerHome(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const home = await loadHome(deps.db.prisma, event.user);
    await client.views.publish({ user_id: event.user, view: homeView(home) });
  });
}
