// The sandbox is for trying the product on invented data. It refuses, unless
// --force is given, to start where it could be mistaken for the real thing:
// with a real-looking Slack bot token in the environment, or on a database
// holding accounts that are not demo accounts.
import type { Config } from '../config.js';

/** Real bot tokens look like xoxb-<team digits>-<bot digits>-<24+ characters>. */
export function looksLikeRealBotToken(token: string | undefined): boolean {
  return token !== undefined && /^xoxb-\d{6,}-\d{6,}-[A-Za-z0-9]{20,}$/.test(token);
}

export interface GuardFacts {
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'DATABASE_URL' | 'DATA_DIR'>;
  /** Accounts whose external id is not a demo id, with a few examples. */
  realAccounts: { count: number; examples: string[] };
}

/** Why the sandbox will not start, or null. */
export function sandboxRefusal(facts: GuardFacts, force: boolean): string | null {
  if (force) return null;
  if (looksLikeRealBotToken(facts.config.SLACK_BOT_TOKEN)) {
    return 'The sandbox will not start with a real-looking SLACK_BOT_TOKEN in the environment: it never talks to Slack, and a real token next to it invites mistakes. Unset SLACK_BOT_TOKEN (or pass --force).';
  }
  if (facts.realAccounts.count > 0) {
    const where = facts.config.DATABASE_URL ? 'DATABASE_URL' : `the embedded database in ${facts.config.DATA_DIR}`;
    return `The sandbox will not start on ${where}: it holds ${facts.realAccounts.count} account(s) that are not demo accounts (e.g. ${facts.realAccounts.examples.join(', ')}), and the sandbox posts alerts and lets anyone change the model. Use a separate database, e.g. DATA_DIR=./sandbox-data npm run sandbox (or pass --force).`;
  }
  return null;
}
