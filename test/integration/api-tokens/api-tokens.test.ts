// API token names are unique among active tokens, so `token revoke NAME` means
// one token; a name that is also another token's id is refused, not guessed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken, TokenNameError, verifyApiToken } from '../../../src/api-tokens/api-tokens.js';
import type { Database } from '../../../src/db/database.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

describe.each(DATABASE_KINDS)('API tokens (%s)', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('refuses a second active token with the same name in any case, even created at the same moment', async () => {
    const first = await createApiToken(db.prisma, 'sync');
    await expect(createApiToken(db.prisma, 'SYNC')).rejects.toThrow(new TokenNameError(`an active token is already named "sync" (id ${first.id}); pick another name, or revoke that one first`));
    const racing = await Promise.allSettled(Array.from({ length: 5 }, () => createApiToken(db.prisma, 'nightly')));
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db.prisma.apiToken.count({ where: { name: 'nightly' } })).toBe(1);
  });

  it('revokes exactly one token by name, then allows the name again', async () => {
    const revoked = await revokeApiToken(db.prisma, 'Sync', new Date());
    expect(revoked).toMatchObject({ name: 'sync' });
    expect(await db.prisma.apiToken.count({ where: { revokedAt: null } })).toBe(1);
    const again = await createApiToken(db.prisma, 'sync');
    expect(await verifyApiToken(db.prisma, again.token, new Date())).toMatchObject({ name: 'sync' });
    expect(await revokeApiToken(db.prisma, 'no-such-token', new Date())).toBeNull();
  });

  it('asks for the id when a name is ambiguous (tokens from before names were unique)', async () => {
    await db.prisma.apiToken.createMany({ data: [{ name: 'legacy', tokenHash: 'a'.repeat(64), prefix: 'ahk_aaaaaa' }, { name: 'legacy', tokenHash: 'b'.repeat(64), prefix: 'ahk_bbbbbb' }] });
    await expect(revokeApiToken(db.prisma, 'legacy', new Date())).rejects.toThrow(/"legacy" matches 2 active tokens \(id \d+ "legacy", id \d+ "legacy"\); revoke one by its id/);
    expect(await db.prisma.apiToken.count({ where: { name: 'legacy', revokedAt: null } })).toBe(2);
    const [one] = await db.prisma.apiToken.findMany({ where: { name: 'legacy' }, orderBy: { id: 'asc' } });
    expect(await revokeApiToken(db.prisma, String(one?.id), new Date())).toMatchObject({ id: one?.id });
    await expect(createApiToken(db.prisma, '42')).rejects.toThrow(/plain numbers are token ids/);
  });
});
