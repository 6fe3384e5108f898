// Every Slack feature registers its listeners here, one line per feature file.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../app-deps.js';
import { registerHealthCommand } from './listeners/health-command.js';
import { registerHome } from './listeners/home.js';
import { registerAlertClaims } from './listeners/alert-claims.js';
import { registerAlertsSubcommand } from './listeners/alerts-subcommand.js';

export type RegisterListeners = (app: App, deps: AppDeps) => void;

const features: RegisterListeners[] = [
  registerHealthCommand,
  registerHome,
  registerAlertClaims,
  registerAlertsSubcommand,
];

export function registerListeners(app: App, deps: AppDeps): void {
  for (const register of features) register(app, deps);
}
