import { systemClock } from '../app-deps.js';
import { DemoRefusedError, loadDemo } from '../demo/load-demo.js';
import { createLogger } from '../logger.js';
import { buildHealthReport } from '../reports/build-health-report.js';
import { listPortfolio } from '../reports/list-portfolio.js';
import { renderHealthText, renderPortfolioText } from '../reports/render-health-text.js';
import { UsageError, withDatabase, type CliCommand } from './command.js';
import { intFlag, parseArgs } from './parse-flags.js';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'load a realistic demo portfolio (a year of events, metrics derived from them) and recompute',
  usage: `account-health demo [--seed N] [--accounts N]

Generates a B2B portfolio (default 240 accounts across enterprise, mid-market
and SMB, 52 weeks with seasonality and noise; some accounts decline, some churn,
some grow) into the current database as Segment events (group calls and tracks
in the built-in vocabulary, from which the metrics are derived; CSM sentiment
stays recorded observations), backfills a quarter of weekly
scores, recomputes, and prints the at-risk accounts and one full breakdown.
The same --seed always gives the same portfolio (default 42). Demo accounts
have ids DEMO-00001…; running it again replaces the earlier demo's history,
scores and alerts rather than adding to them. A database holding any other
account is refused, so the demo never mixes with real data: use a separate
DATA_DIR (or DATABASE_URL) for it.`,
  async run(args, config, io) {
    const parsed = parseArgs(args, { values: ['seed', 'accounts'] });
    if (parsed.positional.length > 0) throw new UsageError(`unexpected argument "${parsed.positional[0]}"`);
    const seed = intFlag(parsed, 'seed', 42, [0, 2 ** 31 - 1]);
    const accounts = intFlag(parsed, 'accounts', 240, [1, 200_000]);
    return withDatabase(config, 'demo', async (db) => {
      const logger = createLogger({ level: 'warn' });
      let result;
      try {
        result = await loadDemo({ db, clock: systemClock, logger }, { seed, accounts, onProgress: (m) => io.out(`  ${m}`) });
      } catch (error) {
        if (!(error instanceof DemoRefusedError)) throw error;
        io.err(error.message);
        return 1;
      }
      const bands = Object.entries(result.current.byBand).map(([band, n]) => `${band.replace('_', ' ')} ${n}`).join(', ');
      io.out(`Scored ${result.current.accountsScored} active accounts (${bands}) in ${result.current.durationMs} ms.\n`);
      const atRisk = await listPortfolio(db.prisma, { atRiskOnly: true, limit: 10 });
      io.out(`At-risk accounts (${atRisk.total}), lowest score first:`);
      io.out(renderPortfolioText(atRisk.entries, atRisk.total));
      const declining = atRisk.entries.find((e) => result.trajectories.get(e.externalId) === 'declining') ?? atRisk.entries[0];
      if (declining) {
        io.out(`\nBreakdown of ${declining.name} (what /health ${declining.externalId} shows):\n`);
        io.out(renderHealthText(await buildHealthReport(db.prisma, declining.accountId, new Date())));
      }
      io.out(`\nTry: npm run cli -- score ${declining?.externalId ?? 'DEMO-00001'}`);
      return 0;
    });
  },
};
