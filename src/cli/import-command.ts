import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { importCsv } from '../ingest/import-csv.js';
import { CsvHeaderError } from '../ingest/parse-csv.js';
import { rescoreAccountsWhenFree } from '../jobs/rescore-queue.js';
import { createLogger } from '../logger.js';
import { cliDeps, UsageError, withDatabase, type CliCommand } from './command.js';
import { runImportEvents } from './import-events-action.js';

const SHOWN = 50;
/** How long an import waits for a recomputation running elsewhere (PostgreSQL) before leaving the rescore to the schedule. */
const RESCORE_WAIT_MS = 120_000;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'bulk-load accounts, metrics or renewal outcomes from a CSV file, or Segment events from NDJSON',
  usage: `account-health import accounts FILE.csv
account-health import metrics FILE.csv
account-health import outcomes FILE.csv
account-health import events FILE.ndjson [--source NAME]

accounts: external_id,name,domain,segment,slack_channel_id,owner_slack_user_id,arr,renewal_date,customer_since,churned_on
          (external_id required; name required to create an account; re-import updates by
          external_id; columns left out of the file keep their stored values, a blank cell
          clears the value — except name, which is kept)
metrics:  account,metric,value,observed_at
          (account = external_id, domain or name, any case; metric = a key from
          \`account-health metric list\`; values outside the metric's range are rejected;
          re-sending an observation replaces its value)
outcomes: account,renewal_date,outcome,arr
          (outcome = renewed or churned at that renewal date; account as for metrics;
          re-sending an (account, renewal_date) replaces it. A renewal date that passes
          without a row is not assumed renewed; an account's churned_on counts as a churn)

The file must be UTF-8. It is streamed in batches. Every rejected row is
reported with its line number and reason; valid rows are kept and invalid rows
change nothing. A row repeating an earlier row's key replaces it, and the
earlier row is reported as superseded.
Exit code 0 when every row loaded, 1 when some were rejected.

events:   Segment-format messages (track, identify, group, page, screen), one JSON
          object per line, for history backfill; stored once per (source, messageId),
          so re-importing a file changes nothing. --source names the event source they
          belong to (default "import"); each refused line is reported with its reason.`,
  async run(args, config, io) {
    const [kind, file, ...rest] = args;
    if (kind === 'events') return runImportEvents(args.slice(1), config, io);
    if (kind !== 'accounts' && kind !== 'metrics' && kind !== 'outcomes') throw new UsageError('say what to import: accounts, metrics, outcomes or events');
    if (!file) throw new UsageError('name the CSV file to import');
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const info = await stat(file).catch((error: unknown) => {
      throw new UsageError(`cannot read ${file} (${error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error)})`);
    });
    if (info.isDirectory()) throw new UsageError(`${file} is a directory; name a CSV file in it, e.g. ${file.replace(/\/+$/, '')}/${kind}.csv`);
    return withDatabase(config, 'import', async (db) => {
      try {
        const summary = await importCsv(db.prisma, kind, createReadStream(file), (s) => {
          if (io.isTty) process.stdout.write(`\r  ${s.rowsRead.toLocaleString('en')} rows read, ${s.loaded.toLocaleString('en')} loaded, ${s.rejected} rejected`);
        });
        if (io.isTty) process.stdout.write('\n');
        io.out(`${kind}: ${summary.rowsRead} rows read, ${summary.loaded} loaded (${summary.inserted} new, ${summary.updated} updated), ${summary.rejected} rejected.`);
        for (const note of summary.notes) io.err(`note: ${note}`);
        for (const e of summary.errors.slice(0, SHOWN)) io.err(`  line ${e.line}: ${e.error}`);
        if (summary.rejected > SHOWN) io.err(`  … and ${summary.rejected - SHOWN} more rejected rows`);
        if (summary.superseded > 0) {
          const what = kind === 'accounts' ? 'external_id' : kind === 'outcomes' ? 'account and renewal_date' : 'account, metric and observed_at';
          io.err(`${summary.superseded} row(s) repeat an earlier row's ${what}; the later row wins:`);
          for (const s of summary.supersededRows.slice(0, SHOWN)) io.err(`  line ${s.at}: superseded by line ${s.by}`);
          if (summary.superseded > SHOWN) io.err(`  … and ${summary.superseded - SHOWN} more superseded rows`);
        }
        if (summary.accountIds.size > 0) {
          // The scores reflect the file as it finishes, not at the next scheduled tick.
          const deps = { ...cliDeps(config, db), logger: createLogger({ level: 'warn' }) };
          const rescored = await rescoreAccountsWhenFree(deps, [...summary.accountIds], RESCORE_WAIT_MS);
          if (rescored.ran) io.out(`Rescored the ${rescored.accountsScored} account(s) this import touched; ${rescored.alertsOpened} alert(s) opened${rescored.alertsOpened > 0 ? ' (serve posts them)' : ''}.`);
          else io.out('Another recomputation kept the scores busy; the next scheduled run (or `account-health recompute`) scores the imported accounts.');
        }
        if (kind === 'outcomes' && summary.loaded > 0) io.out('See what they say about your model with `account-health model evaluate` and `account-health model suggest MODEL`.');
        return summary.rejected > 0 ? 1 : 0;
      } catch (error) {
        if (error instanceof CsvHeaderError) {
          io.err(`${file}: ${error.message}; nothing was imported from the rows after this point.`);
          return 1;
        }
        throw error;
      }
    });
  },
};
