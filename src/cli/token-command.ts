import { createApiToken, listApiTokens, revokeApiToken } from '../api-tokens/api-tokens.js';
import { UsageError, withDatabase, type CliCommand } from './command.js';

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'create, list or revoke ingestion API tokens',
  usage: `account-health token create NAME    print a new API token (shown once; stored hashed)
account-health token list           list tokens (name, prefix, last used, revoked)
account-health token revoke NAME|ID revoke a token

Send it as "Authorization: Bearer <token>" to POST /api/v1/accounts and /api/v1/metrics.`,
  async run(args, config, io) {
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
        const count = await revokeApiToken(db.prisma, name, new Date());
        if (count === 0) {
          io.err(`No active token named or numbered "${name}".`);
          return 1;
        }
        io.out(`Revoked ${count} token(s).`);
        return 0;
      });
    }
    throw new UsageError(action ? `unknown action "${action}"` : 'say create, list or revoke');
  },
};
