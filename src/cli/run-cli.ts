// account-health command line: one file per command, dispatched from here.
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DataDirectoryInUseError } from '../db/pglite-lock.js';
import { MigrationError } from '../db/migrate.js';
import { StartupError } from '../server/start-server.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { describeDatabaseFailure } from './describe-database-error.js';
import { migrateCommand } from './migrate-command.js';
import { serveCommand } from './serve-command.js';
import { demoCommand } from './demo-command.js';
import { scoreCommand } from './score-command.js';
import { importCommand } from './import-command.js';
import { tokenCommand } from './token-command.js';
import { recomputeCommand } from './recompute-command.js';
import { modelCommand } from './model-command.js';
import { metricCommand } from './metric-command.js';
import { sourceCommand } from './source-command.js';
import { sandboxCommand } from './sandbox-command.js';
import { syncCommand } from './sync-command.js';

const commands: CliCommand[] = [
  serveCommand,
  migrateCommand,
  demoCommand,
  importCommand,
  recomputeCommand,
  scoreCommand,
  modelCommand,
  metricCommand,
  tokenCommand,
  sourceCommand,
  sandboxCommand,
  syncCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: account-health <command> [arguments]   (account-health <command> --help for details)',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`account-health: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  let config: Config | undefined;
  try {
    config = loadConfig(env);
    return await command.run(args, config, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`account-health ${command.name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError ||
      error instanceof DataDirectoryInUseError ||
      error instanceof MigrationError ||
      error instanceof StartupError) {
      io.err(error.message);
      return 1;
    }
    const unreachable = describeDatabaseFailure(error, config?.DATABASE_URL);
    if (unreachable) {
      io.err(unreachable);
      return 1;
    }
    throw error;
  }
}
