// A schema change without its migration fails CI: the SQL that would take the
// committed migrations to prisma/schema.prisma must be empty.
import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema } from '../../../src/db/schema-diff.js';
import { PROJECT_DIR } from '../../support/spawn-cli.js';

describe('schema drift', () => {
  it('prisma/schema.prisma matches the committed migrations (run `npm run migration:create -- <name>` if not)', async () => {
    const sql = await diffMigrationsToSchema(PROJECT_DIR);
    expect(sql).toBe('');
  }, 60_000);
});
