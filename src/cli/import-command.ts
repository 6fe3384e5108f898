import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { importCsv } from '../ingest/import-csv.js';
import { CsvHeaderError } from '../ingest/parse-csv.js';
import { UsageError, withDatabase, type CliCommand } from './command.js';

const SHOWN = 50;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'bulk-load accounts, metrics or renewal outcomes from a CSV file',
  usage: `account-health import accounts FILE.csv
account-health import metrics FILE.csv
account-health import outcomes FILE.csv

accounts: external_id,name,domain,segment,slack_channel_id,owner_slack_user_id,arr,renewal_date,customer_since,churned_on
          (external_id and name required; re-import updates by external_id; columns left out
          of the file keep their stored values, a blank cell clears the value)
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
Exit code 0 when every row loaded, 1 when some were rejected.`,
  async run(args, config, io) {
    const [kind, file, ...rest] = args;
    if (kind !== 'accounts' && kind !== 'metrics' && kind !== 'outcomes') throw new UsageError('say what to import: accounts, metrics or outcomes');
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
        for (const e of summary.errors.slice(0, SHOWN)) io.err(`  line ${e.line}: ${e.error}`);
        if (summary.rejected > SHOWN) io.err(`  … and ${summary.rejected - SHOWN} more rejected rows`);
        if (summary.superseded > 0) {
          const what = kind === 'accounts' ? 'external_id' : kind === 'outcomes' ? 'account and renewal_date' : 'account, metric and observed_at';
          io.err(`${summary.superseded} row(s) repeat an earlier row's ${what}; the later row wins:`);
          for (const s of summary.supersededRows.slice(0, SHOWN)) io.err(`  line ${s.at}: superseded by line ${s.by}`);
          if (summary.superseded > SHOWN) io.err(`  … and ${summary.superseded - SHOWN} more superseded rows`);
        }
        if (kind === 'metrics' && summary.loaded > 0) io.out('Run `account-health recompute` (or wait for the schedule) to update the scores.');
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
