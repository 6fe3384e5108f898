import { addMetric, InvalidMetricError, listMetrics, MetricInUseError, removeMetric, updateMetric, type CatalogueEntry } from '../models/metric-store.js';
import type { Database } from '../db/database.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';
import { METRIC_CATEGORIES } from '../scoring/types.js';
import { UsageError, withDatabase, type CliCommand } from './command.js';
import { parseArgs, type ParsedArgs } from './parse-flags.js';
import { DEFINITION_USAGE, runDefinitionAction } from './metric-definition-actions.js';

const DIRECTION_WORDS: Readonly<Record<string, string>> = { higher: 'higher_is_better', lower: 'lower_is_better' };

export const metricCommand: CliCommand = {
  name: 'metric',
  summary: 'list the metric catalogue, add, change or remove your own metrics, or define how one is derived from events',
  usage: `account-health metric list
account-health metric add KEY --label TEXT --direction higher|lower [options]
account-health metric update KEY [options]     change your own metric's fields
account-health metric remove KEY [--with-observations]

  KEY                 2–63 lower-case letters, digits and underscores, e.g. api_calls_30d
  --label TEXT        what people see, e.g. "API calls (30 days)"            (required to add)
  --direction D       higher (more is healthier) or lower (less is healthier) (required to add;
                      higher_is_better / lower_is_better also accepted)
  --unit TEXT         e.g. calls, %, days                                     (default none)
  --category C        ${METRIC_CATEGORIES.join(' | ')} (default custom)
  --freshness-days N  observations older than this are stale, not scored      (default 30)
  --min X, --max Y    the plausible range: imports refuse values outside it   (default unbounded;
                      \`update\` takes "none" to remove a bound)
  --description TEXT

Once added, the metric can be imported (CSV or API) and used in a model
(\`account-health model import\`, or the admin modal in Slack).
Built-in metrics cannot be changed or removed. \`update\` refuses to flip the
direction of a metric a model measures; \`remove\` refuses while any model
(or an earlier version \`model restore\` could bring back) measures it, and
deletes stored observations of it only with --with-observations.

${DEFINITION_USAGE}`,
  async run(args, config, io) {
    const [action, ...rest] = args;
    if (action === 'list') {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      return withDatabase(config, 'metric', async (db) => {
        await ensureCatalogueAndModels(db.prisma);
        for (const m of await listMetrics(db.prisma)) io.out(describeMetric(m));
        return 0;
      });
    }
    if (action === 'add') {
      const parsed = parseArgs(rest, { values: [...FIELD_FLAGS] });
      const [key, ...extra] = parsed.positional;
      if (!key) throw new UsageError('name the metric key, e.g. `metric add api_calls_30d --label "API calls (30 days)" --direction higher`');
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (quote a label with spaces)`);
      const input = metricInput(key, parsed);
      return changeCatalogue(config, io, async (db) => {
        const metric = await addMetric(db.prisma, input);
        io.out(`Added ${metric.key} (${metric.label}). Import it with metric=${metric.key}; add it to a model to score it.`);
      });
    }
    if (action === 'update') {
      const parsed = parseArgs(rest, { values: [...FIELD_FLAGS] });
      const [key, ...extra] = parsed.positional;
      if (!key) throw new UsageError('name the metric to change, e.g. `metric update api_calls_30d --freshness-days 14`');
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (quote a label with spaces)`);
      const patch = metricFields(parsed, { clearable: true });
      if (Object.keys(patch).length === 0) throw new UsageError(`say what to change: ${FIELD_FLAGS.map((f) => `--${f}`).join(', ')}`);
      return changeCatalogue(config, io, async (db) => {
        const metric = await updateMetric(db.prisma, key, patch);
        io.out(`Updated ${metric.key}: ${Object.keys(patch).map((field) => flagName(field)).join(', ')}.`);
      });
    }
    if (action === 'remove') {
      const parsed = parseArgs(rest, { values: [], switches: ['with-observations'] });
      const [key, ...extra] = parsed.positional;
      if (!key) throw new UsageError('name the metric to remove');
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
      return changeCatalogue(config, io, async (db) => {
        const removed = await removeMetric(db.prisma, key, { withObservations: parsed.flags.has('with-observations') });
        io.out(`Removed ${key}${removed.observationsDeleted > 0 ? ` and its ${removed.observationsDeleted} stored observation(s)` : ''}.`);
      });
    }
    if (action === 'define' || action === 'show' || action === 'preview') return runDefinitionAction(action, rest, config, io);
    throw new UsageError(action ? `unknown action "${action}"` : 'say list, add, update, remove, define, show or preview');
  },
};

/** Runs a catalogue change; a refused one is printed as what to fix, exit code 1. */
function changeCatalogue(config: Parameters<CliCommand['run']>[1], io: Parameters<CliCommand['run']>[2], change: (db: Database) => Promise<void>): Promise<number> {
  return withDatabase(config, 'metric', async (db) => {
    await ensureCatalogueAndModels(db.prisma);
    try {
      await change(db);
      return 0;
    } catch (error) {
      if (error instanceof MetricInUseError) {
        io.err(error.message);
        return 1;
      }
      if (!(error instanceof InvalidMetricError)) throw error;
      io.err('The metric is not valid:');
      for (const issue of error.issues) io.err(`  ${flagName(issue.path)}: ${describeIssue(issue)}`);
      return 1;
    }
  });
}

const FIELD_FLAGS = ['label', 'direction', 'unit', 'category', 'freshness-days', 'min', 'max', 'description'] as const;

/** The schema names the stored words; a person typed the CLI's (higher/lower), so name those too. */
function describeIssue(issue: { path: string; message: string }): string {
  return issue.path === 'direction' ? 'direction must be higher or lower (or higher_is_better / lower_is_better)' : issue.message;
}

/** The field flags given, as the schema's input (nothing for a flag left out). */
function metricFields(parsed: ParsedArgs, options: { clearable: boolean }): Record<string, unknown> {
  const text = (name: string) => {
    const value = parsed.flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const number = (name: string): number | null | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (options.clearable && value.trim().toLowerCase() === 'none') return null;
    const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number${options.clearable ? ' or "none"' : ''} (got "${value}")`);
    return n;
  };
  const direction = text('direction');
  const fields: Record<string, unknown> = {
    label: text('label'),
    direction: direction === undefined ? undefined : (DIRECTION_WORDS[direction.toLowerCase()] ?? direction),
    unit: text('unit'),
    category: text('category'),
    freshnessDays: number('freshness-days'),
    minValue: number('min'),
    maxValue: number('max'),
    description: text('description'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** `metric add`: label and direction required, the rest defaulted. */
function metricInput(key: string, parsed: ParsedArgs): Record<string, unknown> {
  if (parsed.flags.get('direction') === undefined) throw new UsageError('--direction is required: higher (more is healthier) or lower (less is healthier)');
  if (parsed.flags.get('label') === undefined) throw new UsageError('--label is required, e.g. --label "API calls (30 days)"');
  return { freshnessDays: 30, minValue: null, maxValue: null, ...metricFields(parsed, { clearable: false }), key };
}

const FLAGS: Readonly<Record<string, string>> = { freshnessDays: '--freshness-days', minValue: '--min', maxValue: '--max' };
const flagName = (path: string) => FLAGS[path] ?? (path === 'key' ? 'KEY' : `--${path}`);

function describeMetric(m: CatalogueEntry): string {
  const range = m.minValue === null && m.maxValue === null ? '' : `  range ${m.minValue ?? '−∞'}..${m.maxValue ?? '∞'}`;
  const direction = m.direction === 'higher_is_better' ? 'higher is better' : 'lower is better';
  return `${m.key.padEnd(26)} ${m.label} (${m.unit || 'no unit'}; ${direction}; ${m.category}; fresh ${m.freshnessDays}d${range})${m.builtIn ? '' : '  [custom]'}`;
}
