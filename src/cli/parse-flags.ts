// Minimal flag parsing for the CLI: `--name value` / `--name=value` / `--flag`.
import { UsageError } from './command.js';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(args: readonly string[], known: { values: readonly string[]; switches?: readonly string[] }): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (known.switches?.includes(name)) {
      flags.set(name, true);
    } else if (known.values.includes(name)) {
      const value = inline ?? args[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      if (inline === undefined) i += 1;
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, flags };
}

export function intFlag(parsed: ParsedArgs, name: string, fallback: number, range: [number, number]): number {
  const raw = parsed.flags.get(name);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < range[0] || value > range[1]) throw new UsageError(`--${name} must be a whole number from ${range[0]} to ${range[1]}`);
  return value;
}

export function dateFlag(parsed: ParsedArgs, name: string): Date | undefined {
  const raw = parsed.flags.get(name);
  if (raw === undefined) return undefined;
  const date = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? new Date(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : null;
  if (!date || Number.isNaN(date.getTime())) throw new UsageError(`--${name} must be an ISO 8601 date such as 2026-01-31`);
  return date;
}
