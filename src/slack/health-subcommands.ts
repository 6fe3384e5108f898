// The /health subcommand table. A feature adds one entry here; the /health
// listener checks this table before treating the text as an account name.
// Handlers run AFTER the command was acknowledged and reply with `respond`.
import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../app-deps.js';

export interface SubcommandContext {
  command: SlashCommand;
  /** Words after the subcommand name. */
  args: string[];
  respond: RespondFn;
  client: WebClient;
  deps: AppDeps;
}

export interface HealthSubcommand {
  name: string;
  usage: string;
  summary: string;
  handle(context: SubcommandContext): Promise<void>;
}

export const extraSubcommands: HealthSubcommand[] = [];

export function registerSubcommand(subcommand: HealthSubcommand): void {
  if (extraSubcommands.some((s) => s.name === subcommand.name)) return;
  extraSubcommands.push(subcommand);
}
