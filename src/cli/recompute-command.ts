import { createLogger } from '../logger.js';
import { backfillScores } from '../scoring-run/backfill.js';
import { runRecomputeAndAlerts } from '../alerts/recompute-and-alert.js';
import { AlertDeliverer } from '../alerts/deliver-outbox.js';
import { cliDeps, UsageError, withDatabase, type CliCommand } from './command.js';
import { dateFlag, intFlag, parseArgs } from './parse-flags.js';

export const recomputeCommand: CliCommand = {
  name: 'recompute',
  summary: 'recompute every score now and deliver due alerts',
  usage: `account-health recompute [--full] [--as-of DATE]
account-health recompute --backfill --from DATE [--to DATE] [--step-days N]

Scores every active account with its segment's model, stores the snapshots,
opens or updates alerts in the same transaction, and — when SLACK_BOT_TOKEN is
set — delivers the alerts that are due.
--as-of (a past date or time) scores as of then instead of now, as history only:
no alert is opened, updated, resolved or delivered for a past date (alerts are
news about the present); a future date is refused. With --backfill, scores past
dates (every --step-days, default 7) from the history already in the database,
so trends exist from the day history is imported; existing snapshots are kept;
it never touches alerts either.
A recomputation scores only the accounts whose result can have changed since
the last one (new data, a measure going stale, a new day for the renewal
countdown); --full scores every account.`,
  async run(args, config, io) {
    const parsed = parseArgs(args, { values: ['as-of', 'from', 'to', 'step-days'], switches: ['backfill', 'full'] });
    if (parsed.positional.length > 0) throw new UsageError(`unexpected argument "${parsed.positional[0]}"`);
    const backfill = parsed.flags.has('backfill');
    const misplaced = backfill ? ['as-of', 'full'] : ['from', 'to', 'step-days'];
    for (const name of misplaced.filter((n) => parsed.flags.has(n))) {
      throw new UsageError(backfill ? `--${name} does not go with --backfill${name === 'as-of' ? ' (use --from and --to)' : ' (a backfill scores every account)'}` : `--${name} only works with --backfill (e.g. recompute --backfill --from 2026-01-01)`);
    }
    const now = new Date();
    // A score "as of" a future date would become every account's current score and hide real ones until then.
    for (const name of ['as-of', 'to'] as const) {
      const date = dateFlag(parsed, name);
      if (date && date.getTime() > now.getTime()) throw new UsageError(`--${name} ${date.toISOString()} is in the future; scores can only be computed up to now (${now.toISOString()})`);
    }
    return withDatabase(config, 'recompute', async (db) => {
      const deps = cliDeps(config, db);
      const quiet = { ...deps, logger: createLogger({ level: 'warn' }) };
      if (backfill) {
        const from = dateFlag(parsed, 'from');
        if (!from) throw new UsageError('--backfill needs --from DATE');
        const to = dateFlag(parsed, 'to') ?? now;
        const stepDays = intFlag(parsed, 'step-days', 7, [1, 365]);
        const results = await backfillScores(quiet, { from, to, stepDays }).catch((error: unknown) => {
          throw error instanceof RangeError ? new UsageError(error.message) : error;
        });
        io.out(`Backfilled ${results.length} dates from ${from.toISOString().slice(0, 10)} to ${to.toISOString().slice(0, 10)}.`);
        return 0;
      }
      const asOf = dateFlag(parsed, 'as-of');
      const outcome = await runRecomputeAndAlerts(quiet, { trigger: 'cli', ...(asOf ? { asOf } : {}), ...(parsed.flags.has('full') ? { full: true } : {}) });
      if (!outcome.ran) {
        io.err('Another recomputation is running right now; nothing was done.');
        return 1;
      }
      const r = outcome.result;
      const bands = Object.entries(r.byBand).map(([band, n]) => `${band.replace('_', ' ')} ${n}`).join(', ');
      const computed = r.mode === 'incremental' ? ` (${r.accountsComputed} rescored: the rest had nothing new)` : '';
      if (!outcome.judgedAlerts) {
        io.out(`Scored ${r.accountsScored} accounts${computed} as of ${r.asOf.toISOString()} (${bands}) in ${r.durationMs} ms, as history: a past date opens, updates, resolves and sends no alerts.`);
        return 0;
      }
      io.out(`Scored ${r.accountsScored} accounts${computed} as of ${r.asOf.toISOString()} (${bands}) in ${r.durationMs} ms; ${r.alertsOpened} alert(s) opened.`);
      if (!deps.slackConfigured) {
        io.out('SLACK_BOT_TOKEN is not set: alerts are stored and will be posted by `serve`.');
        return 0;
      }
      const delivery = await new AlertDeliverer(quiet).deliverDue(1_000);
      io.out(`Alert messages: ${delivery.sent} delivered, ${delivery.failed} failed, ${delivery.deferred} waiting to retry (serve retries them).`);
      return 0;
    });
  },
};
