// Every Slack feature registers its listeners here, one line per feature file.
import type { App } from '@slack/bolt';
import type { AppDeps } from '../app-deps.js';
import { SubcommandTable } from './health-subcommands.js';
import { registerHealthCommand } from './listeners/health-command.js';
import { registerHome } from './listeners/home.js';
import { registerAlertClaims } from './listeners/alert-claims.js';
import { registerAlertsSubcommand } from './listeners/alerts-subcommand.js';
import { registerTuningModal } from './listeners/tuning-modal.js';

export type RegisterListeners = (app: App, deps: AppDeps, subcommands: SubcommandTable) => void;

const features: RegisterListeners[] = [
  registerHealthCommand,
  registerHome,
  registerAlertClaims,
  registerAlertsSubcommand,
  registerTuningModal,
];

export function registerListeners(app: App, deps: AppDeps): void {
  const subcommands = new SubcommandTable();
  for (const register of features) register(app, deps, subcommands);
}
