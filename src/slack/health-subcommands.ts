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

/** One table per Slack app (tests run several apps in one process). */
export class SubcommandTable {
  private readonly entries: HealthSubcommand[] = [];

  add(subcommand: HealthSubcommand): void {
    if (this.entries.some((s) => s.name === subcommand.name)) throw new Error(`/health ${subcommand.name} is registered twice`);
    this.entries.push(subcommand);
  }

  find(name: string): HealthSubcommand | undefined {
    return this.entries.find((s) => s.name === name);
  }

  list(): readonly HealthSubcommand[] {
    return this.entries;
  }
}
