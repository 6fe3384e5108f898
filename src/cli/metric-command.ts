import { addMetric, InvalidMetricError, listMetrics, type CatalogueEntry } from '../models/metric-store.js';
import { ensureCatalogueAndModels } from '../models/model-store.js';
import { METRIC_CATEGORIES } from '../scoring/types.js';
import { UsageError, withDatabase, type CliCommand } from './command.js';
import { parseArgs, type ParsedArgs } from './parse-flags.js';
import { DEFINITION_USAGE, runDefinitionAction } from './metric-definition-actions.js';

const DIRECTION_WORDS: Readonly<Record<string, string>> = { higher: 'higher_is_better', lower: 'lower_is_better' };

export const metricCommand: CliCommand = {
  name: 'metric',
  summary: 'list the metric catalogue, add your own metric, or define how one is derived from events',
  usage: `account-health metric list
account-health metric add KEY --label TEXT --direction higher|lower [options]

  KEY                 2–63 lower-case letters, digits and underscores, e.g. api_calls_30d
  --label TEXT        what people see, e.g. "API calls (30 days)"            (required)
  --direction D       higher (more is healthier) or lower (less is healthier) (required)
  --unit TEXT         e.g. calls, %, days                                     (default none)
  --category C        ${METRIC_CATEGORIES.join(' | ')} (default custom)
  --freshness-days N  observations older than this are stale, not scored      (default 30)
  --min X, --max Y    the plausible range: imports refuse values outside it   (default unbounded)
  --description TEXT

Once added, the metric can be imported (CSV or API) and used in a model
(\`account-health model import\`, or the admin modal in Slack).

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
      const parsed = parseArgs(rest, { values: ['label', 'direction', 'unit', 'category', 'freshness-days', 'min', 'max', 'description'] });
      const [key, ...extra] = parsed.positional;
      if (!key) throw new UsageError('name the metric key, e.g. `metric add api_calls_30d --label "API calls (30 days)" --direction higher`');
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (quote a label with spaces)`);
      const input = metricInput(key, parsed);
      return withDatabase(config, 'metric', async (db) => {
        await ensureCatalogueAndModels(db.prisma);
        try {
          const metric = await addMetric(db.prisma, input);
          io.out(`Added ${metric.key} (${metric.label}). Import it with metric=${metric.key}; add it to a model to score it.`);
          return 0;
        } catch (error) {
          if (!(error instanceof InvalidMetricError)) throw error;
          io.err(`The metric is not valid:`);
          for (const issue of error.issues) io.err(`  ${flagName(issue.path)}: ${issue.message}`);
          return 1;
        }
      });
    }
    if (action === 'define' || action === 'show' || action === 'preview') return runDefinitionAction(action, rest, config, io);
    throw new UsageError(action ? `unknown action "${action}"` : 'say list, add, define, show or preview');
  },
};

/** Flags as the schema's input; zod says what is wrong with each. */
function metricInput(key: string, parsed: ParsedArgs): Record<string, unknown> {
  const text = (name: string) => {
    const value = parsed.flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const number = (name: string) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${value}")`);
    return n;
  };
  const direction = text('direction');
  if (direction === undefined) throw new UsageError('--direction is required: higher (more is healthier) or lower (less is healthier)');
  if (text('label') === undefined) throw new UsageError('--label is required, e.g. --label "API calls (30 days)"');
  return {
    key,
    label: text('label'),
    direction: DIRECTION_WORDS[direction.toLowerCase()] ?? direction,
    unit: text('unit'),
    category: text('category'),
    freshnessDays: number('freshness-days') ?? 30,
    minValue: number('min') ?? null,
    maxValue: number('max') ?? null,
    description: text('description'),
  };
}

const FLAGS: Readonly<Record<string, string>> = { freshnessDays: '--freshness-days', minValue: '--min', maxValue: '--max' };
const flagName = (path: string) => FLAGS[path] ?? (path === 'key' ? 'KEY' : `--${path}`);

function describeMetric(m: CatalogueEntry): string {
  const range = m.minValue === null && m.maxValue === null ? '' : `  range ${m.minValue ?? '−∞'}..${m.maxValue ?? '∞'}`;
  const direction = m.direction === 'higher_is_better' ? 'higher is better' : 'lower is better';
  return `${m.key.padEnd(26)} ${m.label} (${m.unit || 'no unit'}; ${direction}; ${m.category}; fresh ${m.freshnessDays}d${range})${m.builtIn ? '' : '  [custom]'}`;
}
