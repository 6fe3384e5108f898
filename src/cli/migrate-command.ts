import { UsageError, type CliCommand } from './command.js';
import { databaseTarget, openDatabase } from '../db/database.js';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'apply pending database migrations',
  usage: `account-health migrate

Applies the committed migrations in prisma/migrations that the database has not
seen yet (embedded database in DATA_DIR, or DATABASE_URL). Running it again
applies nothing. Replicas starting together on PostgreSQL wait for each other.`,
  async run(args, config, io) {
    if (args.length > 0) throw new UsageError(`migrate takes no arguments (got "${args.join(' ')}")`);
    const db = await openDatabase(databaseTarget(config), { command: 'account-health migrate' });
    try {
      const report = await db.migrate();
      io.out(
        report.applied.length === 0
          ? `Database is up to date (${report.alreadyApplied} migrations already applied).`
          : `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}.`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
