// `npm run migration:create -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that brings the committed migrations up to prisma/schema.prisma.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { diffMigrationsToSchema } from '../src/db/schema-diff.js';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: npm run migration:create -- <name>   (name: lower-case letters, digits, underscores)');
    process.exit(2);
  }
  const sql = await diffMigrationsToSchema(projectDir);
  if (sql === '') {
    console.log('prisma/schema.prisma matches the migrations: nothing to create.');
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  const dir = path.join(projectDir, 'prisma', 'migrations', `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
  console.log(`created ${path.relative(projectDir, dir)}/migration.sql`);
  // The generated client (src/generated) must follow the schema, or the code that uses the change does not compile.
  console.log('regenerating the Prisma client (prisma generate)…');
  const generated = spawnSync(process.execPath, [path.join(projectDir, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], { cwd: projectDir, stdio: 'inherit' });
  if (generated.status !== 0) throw new Error('prisma generate failed; run `npx prisma generate` after fixing the schema');
}

main().then(
  // The wasm engine leaves a timer running; exit explicitly.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
