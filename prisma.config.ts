// Prisma CLI configuration. Prisma 7's CLI insists on locating a native schema
// engine before `generate`/`validate`/`format`, yet those commands only use the
// bundled wasm. Engine downloads are impossible on our machines (see
// shared/PRISMA-OFFLINE.md), so point the check at an executable that exists.
// Migrations are applied by our own runner (src/db/migrate.ts), never by the CLI.
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
