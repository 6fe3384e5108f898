import { SandboxRefusedError, startSandbox } from '../sandbox/start-sandbox.js';
import { runUntilStopped, UsageError, type CliCommand } from './command.js';
import { intFlag, parseArgs } from './parse-flags.js';

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: 'try the Slack app in a browser page that plays Slack (no workspace needed)',
  usage: `account-health sandbox [--port N] [--accounts N] [--force]      (also: npm run sandbox)

Starts the real app (the same Slack listeners, scheduler and alert delivery as
"serve") against a local Slack emulator, and prints the address of a web page
that plays Slack: channels, App Home, /health as one of three people (a CSM,
a teammate, an admin), reactions, modals, and time controls to recompute now
or move the app's clock a day on. An empty database gets the demo portfolio
(--accounts of them, default 240).
Everything listens on 127.0.0.1 only (page on --port, default 3030); the app
signs with a secret made up for this run and never talks to Slack.

It refuses a real-looking SLACK_BOT_TOKEN in the environment, and a database
holding accounts that are not demo accounts (DEMO-…), unless --force is given:
use a separate database, e.g. DATA_DIR=./sandbox-data npm run sandbox.
Ctrl-C stops it.`,
  async run(args, config, io) {
    const parsed = parseArgs(args, { values: ['port', 'accounts'], switches: ['force'] });
    if (parsed.positional.length > 0) throw new UsageError(`unexpected argument "${parsed.positional[0]}"`);
    const port = intFlag(parsed, 'port', 3030, [0, 65535]);
    const accounts = intFlag(parsed, 'accounts', 240, [1, 5_000]);
    let sandbox;
    try {
      sandbox = await startSandbox({ config, port, demo: { seed: 42, accounts }, force: parsed.flags.get('force') === true, onProgress: (line) => io.out(line) });
    } catch (error) {
      if (!(error instanceof SandboxRefusedError)) throw error;
      io.err(error.message);
      return 1;
    }
    io.out(`account-health sandbox: open ${sandbox.url}/ in your browser (Ctrl-C to stop)`);
    return runUntilStopped(() => sandbox.stop(), io, sandbox.app.lost);
  },
};
