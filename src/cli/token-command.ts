import { createApiToken, listApiTokens, revokeApiToken, TokenNameError } from '../api-tokens/api-tokens.js';
import type { Config } from '../config.js';
import { UsageError, withDatabase, type CliCommand, type CliIo } from './command.js';

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'create, list or revoke ingestion API tokens',
  usage: `account-health token create NAME    print a new API token (shown once; stored hashed)
account-health token list           list tokens (name, prefix, last used, revoked)
account-health token revoke NAME|ID revoke a token (names are unique among active tokens)

Send it as "Authorization: Bearer <token>" to POST /api/v1/accounts and /api/v1/metrics.`,
  async run(args, config, io) {
    try {
      return await runTokenAction(args, config, io);
    } catch (error) {
      if (!(error instanceof TokenNameError)) throw error;
      io.err(error.message);
      return 1;
    }
  },
};

async function runTokenAction(args: string[], config: Config, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const name = rest.join(' ').trim();
  if (action === 'create') {
    if (name === '') throw new UsageError('name the token, e.g. `token create warehouse-sync`');
    return withDatabase(config, 'token', async (db) => {
      const created = await createApiToken(db.prisma, name).catch((error: unknown) => {
        throw error instanceof RangeError ? new UsageError(error.message) : error;
      });
      io.out(created.token);
      io.err(`Token "${name}" created (id ${created.id}). Store it now: it cannot be shown again.`);
      return 0;
    });
  }
  if (action === 'list') {
    return withDatabase(config, 'token', async (db) => {
      const tokens = await listApiTokens(db.prisma);
      if (tokens.length === 0) io.out('No API tokens yet: `account-health token create NAME`.');
      for (const t of tokens) {
        io.out(`${String(t.id).padStart(4)}  ${t.name.padEnd(24)} ${t.prefix}…  last used ${t.lastUsedAt?.toISOString() ?? 'never'}${t.revokedAt ? `  REVOKED ${t.revokedAt.toISOString()}` : ''}`);
      }
      return 0;
    });
  }
  if (action === 'revoke') {
    if (name === '') throw new UsageError('name the token (or its id) to revoke');
    return withDatabase(config, 'token', async (db) => {
      const revoked = await revokeApiToken(db.prisma, name, new Date());
      if (!revoked) {
        io.err(`No active token named or numbered "${name}" (see \`account-health token list\`).`);
        return 1;
      }
      io.out(`Revoked token "${revoked.name}" (id ${revoked.id}).`);
      return 0;
    });
  }
  throw new UsageError(action ? `unknown action "${action}"` : 'say create, list or revoke');
}
