// `metric define FILE.json`, `metric show KEY`, `metric preview KEY ACCOUNT`:
// derived-metric definitions from the command line.
import { readFile } from 'node:fs/promises';
import { findAccounts } from '../accounts/find-accounts.js';
import type { Config } from '../config.js';
import { InvalidDefinitionError } from '../derived/definition-schema.js';
import { defineDerivedMetric, loadDefinitions } from '../derived/definition-store.js';
import { previewDerivedMetric } from '../derived/preview-metric.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';
import { UsageError, withDatabase, type CliIo } from './command.js';

export const DEFINITION_USAGE = `account-health metric define FILE.json   store a derived-metric definition (replaces the built-in one)
account-health metric show KEY           print the definition a metric is derived from
account-health metric preview KEY ACCOUNT  the value it gives one account now, and the events behind it

A definition (JSON): {"metric": "orders_30d", "events": ["Order Completed"],
  "where": [{"property": "currency", "op": "eq", "value": "EUR"}],
  "aggregation": {"type": "count_distinct", "property": "order_id", "unless": ["Order Cancelled"]},
  "windowDays": 30}
  filters (op): eq, neq, in (values), contains, gt, lt, exists
  aggregation (type): count, count_distinct, sum, avg, latest, days_since_last,
    ratio (numerator/minus filters; denominator matching|all_accounts; scale),
    pct_change (against the window before), open_entities (idProperty, closedBy)`;

export async function runDefinitionAction(action: string, rest: string[], config: Config, io: CliIo): Promise<number> {
  if (action === 'define') {
    const [file, ...extra] = rest;
    if (!file) throw new UsageError('name the definition file, e.g. `metric define orders.json`');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const text = await readFile(file, 'utf8').catch((error: unknown) => {
      throw new UsageError(`cannot read ${file} (${error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error)})`);
    });
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      io.err(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    return withDatabase(config, 'metric', async (db) => {
      await ensureCatalogueAndModels(db.prisma);
      try {
        const { definition, replaced } = await defineDerivedMetric(db.prisma, input);
        const what = replaced === 'built-in' ? ' (replacing the built-in definition)' : replaced === 'defined' ? ' (replacing the earlier definition)' : '';
        io.out(`Defined ${definition.metric} from events${what}. The next recomputation derives it for every account.`);
        return 0;
      } catch (error) {
        if (!(error instanceof InvalidDefinitionError)) throw error;
        io.err('The definition is not valid:');
        for (const issue of error.issues) io.err(`  ${issue.path || '(definition)'}: ${issue.message}`);
        return 1;
      }
    });
  }
  if (action === 'show' || action === 'preview') {
    const [key, ...accountWords] = rest;
    if (!key) throw new UsageError(`name the metric, e.g. \`metric ${action} orders_30d${action === 'preview' ? ' acme' : ''}\``);
    if (action === 'show' && accountWords.length > 0) throw new UsageError(`unexpected argument "${accountWords[0]}"`);
    const query = accountWords.join(' ').trim();
    if (action === 'preview' && query === '') throw new UsageError('name the account to preview, e.g. `metric preview orders_30d acme`');
    return withDatabase(config, 'metric', async (db) => {
      const effective = (await loadDefinitions(db.prisma)).get(key);
      if (!effective) {
        io.err(`${key} has no definition: its values come only from imports (CSV, API). Define one with \`account-health metric define FILE.json\`.`);
        return 1;
      }
      if (action === 'show') {
        io.out(`# ${key}: ${effective.origin === 'built-in' ? 'built-in definition' : 'defined with `metric define`'}`);
        io.out(JSON.stringify(effective.definition, null, 2));
        return 0;
      }
      const match = await findAccounts(db.prisma, query);
      if (match.kind !== 'one') {
        io.err(match.kind === 'none' ? `No account matches "${query}".` : `"${query}" matches ${match.total} accounts: ${match.candidates.map((a) => a.externalId).join(', ')}; be more specific.`);
        return 1;
      }
      const now = new Date();
      const preview = await previewDerivedMetric(db.prisma, effective, match.account.id, now);
      const window = `${preview.window.start.toISOString().slice(0, 10)} … ${now.toISOString()}`;
      io.out(`${key} for ${match.account.name} (${match.account.externalId}): ${preview.value === null ? 'no value (no events behind it in the window)' : preview.value}   window ${window}`);
      if (preview.events.length === 0) io.out('  no matching events');
      for (const e of preview.events) io.out(`  ${e.timestamp.toISOString()}  ${e.event}  ${e.properties}`);
      if (preview.events.length === preview.limit) io.out(`  (the newest ${preview.limit} shown)`);
      return 0;
    });
  }
  throw new UsageError(`unknown action "${action}"`);
}
