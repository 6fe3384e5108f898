import { createEventSource, listEventSources, revokeEventSource, SourceError, SOURCE_KINDS } from '../events/event-sources.js';
import type { Config } from '../config.js';
import { sourceActivity } from '../events/source-activity.js';
import { describeSourceStatus } from '../events/source-status.js';
import { UsageError, withDatabase, type CliCommand, type CliIo } from './command.js';
import { parseArgs } from './parse-flags.js';

export const sourceCommand: CliCommand = {
  name: 'source',
  summary: 'create, list or revoke event sources (Segment write keys, provider webhooks)',
  usage: `account-health source create NAME                          print a new Segment write key (shown once; stored hashed)
account-health source create NAME --kind KIND --secret S   a webhook source (KIND: ${SOURCE_KINDS.join(', ')}; segment = Segment's Webhooks (Actions) destination)
account-health source list                                 sources, their events, and per source: last message, accepted / refused /
                                                           waiting for an account in the last 24 h, and the last error
account-health source revoke NAME                          stop accepting events from a source (its events stay)

Send events to POST /v1/track, /v1/identify, /v1/group, /v1/page, /v1/screen or /v1/batch
with HTTP Basic auth: the write key as user name and an empty password (or "writeKey" in the body).
A provider's signing secret is stored as given (it signs the webhooks) and never printed back.`,
  async run(args, config, io) {
    try {
      return await runSourceAction(args, config, io);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      io.err(error.message);
      return 1;
    }
  },
};

async function runSourceAction(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'create') {
    const parsed = parseArgs(rest, { values: ['kind', 'secret'] });
    const [name, ...extra] = parsed.positional;
    if (!name) throw new UsageError('name the source, e.g. `source create web-app`');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (source names have no spaces)`);
    const kind = parsed.flags.get('kind');
    const secret = parsed.flags.get('secret');
    return withDatabase(config, 'source', async (db) => {
      const created = await createEventSource(db.prisma, {
        name,
        ...(typeof kind === 'string' ? { kind: kind.toLowerCase() } : {}),
        ...(typeof secret === 'string' ? { secret } : {}),
      });
      if (created.writeKey !== null) {
        io.out(created.writeKey);
        io.err(`Source "${created.name}" created (id ${created.id}). This is its write key; store it now: it cannot be shown again.`);
      } else {
        io.out(`Source "${created.name}" (${created.kind}) created (id ${created.id}); its webhook URL path is /webhooks/${created.kind}/${created.name}.`);
      }
      return 0;
    });
  }
  if (action === 'list') {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    return withDatabase(config, 'source', async (db) => {
      const sources = await listEventSources(db.prisma);
      const activity = await sourceActivity(db.prisma, new Date());
      if (sources.length === 0) io.out('No event sources yet: `account-health source create NAME`.');
      for (const s of sources) {
        const credential = s.prefix ? `${s.prefix}…` : s.hasSecret ? 'signing secret set' : '—';
        io.out(`${String(s.id).padStart(4)}  ${s.name.padEnd(20)} ${s.kind.padEnd(8)} ${credential.padEnd(20)} ${s.events} events, ${s.waiting} waiting for an account${s.revokedAt ? `  REVOKED ${s.revokedAt.toISOString()}` : ''}`);
        io.out(`      ${describeSourceStatus(activity.get(s.id))}`);
      }
      return 0;
    });
  }
  if (action === 'revoke') {
    const name = rest.join(' ').trim();
    if (name === '') throw new UsageError('name the source to revoke');
    return withDatabase(config, 'source', async (db) => {
      const revoked = await revokeEventSource(db.prisma, name, new Date());
      if (!revoked) {
        io.err(`No active source named "${name}" (see \`account-health source list\`).`);
        return 1;
      }
      io.out(`Revoked source "${revoked.name}" (id ${revoked.id}); its stored events are kept.`);
      return 0;
    });
  }
  throw new UsageError(action ? `unknown action "${action}"` : 'say create, list or revoke');
}
