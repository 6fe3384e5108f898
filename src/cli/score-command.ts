import { findAccounts } from '../accounts/find-accounts.js';
import { buildHealthReport } from '../reports/build-health-report.js';
import { renderHealthText } from '../reports/render-health-text.js';
import { UsageError, withDatabase, type CliCommand } from './command.js';

export const scoreCommand: CliCommand = {
  name: 'score',
  summary: 'print an account\'s health breakdown (the /health view) for a terminal',
  usage: `account-health score ACCOUNT

ACCOUNT is an external id, a domain, or a name (any case, or part of it).
Prints the score, band, trend, the measures that cost the most points,
data completeness, the open follow-up and suggested actions. When several
accounts match, lists them; exit code 1 when nothing matches.`,
  async run(args, config, io) {
    const query = args.join(' ').trim();
    if (query === '') throw new UsageError('name an account');
    return withDatabase(config, 'score', async (db) => {
      const match = await findAccounts(db.prisma, query);
      if (match.kind === 'none') {
        io.err(`No account matches "${query}".${match.near.length > 0 ? ` Did you mean: ${match.near.map((a) => `${a.name} (${a.externalId})`).join(', ')}?` : ''}`);
        return 1;
      }
      if (match.kind === 'many') {
        io.out(`"${query}" matches ${match.total} accounts; be more specific:`);
        for (const a of match.candidates) io.out(`  ${a.externalId}  ${a.name}${a.domain ? `  ${a.domain}` : ''}`);
        if (match.total > match.candidates.length) io.out(`  … and ${match.total - match.candidates.length} more`);
        return 1;
      }
      io.out(renderHealthText(await buildHealthReport(db.prisma, match.account.id, new Date())));
      return 0;
    });
  },
};
