import { runUntilStopped, UsageError, type CliCommand } from './command.js';
import { startServer } from '../server/start-server.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'migrate, then run the Slack app, the ingestion API and the scheduler',
  usage: `account-health serve      (also: npm start)

Applies pending migrations, then serves on PORT (default 3000):
  POST /slack/events      Slack events, commands and interactivity (HTTP mode)
  POST /api/v1/accounts   ingestion API (Bearer token from "token create")
  POST /api/v1/metrics
  GET  /healthz           200 while the database answers
With SLACK_APP_TOKEN set, Slack is reached through Socket Mode instead.
Recomputes scores on RECOMPUTE_CRON and delivers alerts. SIGTERM stops it
gracefully: the scheduler stops, in-flight work finishes, the database closes.
If the embedded database stops for good (its thread fails), serve logs why
and stops the same way with exit code 1, for a supervisor to restart it.`,
  async run(args, config, io) {
    if (args.length > 0) throw new UsageError(`serve takes no arguments (got "${args.join(' ')}")`);
    const server = await startServer({ config });
    io.out(`account-health listening on port ${server.port}`);
    return runUntilStopped(() => server.stop(), io, server.lost);
  },
};
