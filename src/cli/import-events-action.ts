import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Config } from '../config.js';
import { importEvents, importSource } from '../events/import-events.js';
import { UsageError, withDatabase, type CliIo } from './command.js';
import { parseArgs } from './parse-flags.js';

const SHOWN = 50;

export async function runImportEvents(args: string[], config: Config, io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['source'] });
  const [file, ...extra] = parsed.positional;
  if (!file) throw new UsageError('name the NDJSON file to import, e.g. `import events history.ndjson`');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const info = await stat(file).catch((error: unknown) => {
    throw new UsageError(`cannot read ${file} (${error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error)})`);
  });
  if (info.isDirectory()) throw new UsageError(`${file} is a directory; name an NDJSON file`);
  const sourceName = parsed.flags.get('source');
  return withDatabase(config, 'import', async (db) => {
    const source = await importSource(db.prisma, typeof sourceName === 'string' ? sourceName : undefined);
    if (!source) {
      io.err(`No active source named "${String(sourceName)}" (see \`account-health source list\`).`);
      return 1;
    }
    const summary = await importEvents(db.prisma, source, createReadStream(file), () => new Date(), (s) => {
      if (io.isTty) process.stdout.write(`\r  ${s.lines.toLocaleString('en')} lines read, ${s.accepted.toLocaleString('en')} stored, ${s.refused} refused`);
    });
    if (io.isTty) process.stdout.write('\n');
    io.out(`events: ${summary.lines} lines read, ${summary.accepted} stored, ${summary.duplicates} already stored, ${summary.refused} refused (source "${source.name}").`);
    for (const e of summary.errors.slice(0, SHOWN)) io.err(`  line ${e.line}: ${e.error}`);
    if (summary.refused > SHOWN) io.err(`  … and ${summary.refused - SHOWN} more refused lines`);
    if (summary.accepted > 0) io.out('Run `account-health recompute` (or wait for the schedule) to derive metrics and update the scores.');
    return summary.refused > 0 ? 1 : 0;
  });
}
