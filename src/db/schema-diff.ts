// Computes the SQL that takes the committed migrations to prisma/schema.prisma,
// using Prisma's wasm schema engine (native engines cannot be downloaded on our
// machines; see shared/PRISMA-OFFLINE.md). An in-memory PGlite is the shadow
// database the engine replays the migrations into; the engine expects the
// error-capturing adapter wrapper Prisma's own CLI uses. Used by the
// `migration:create` script and by the drift test; never at run time.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { createRequire } from 'node:module';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

export async function diffMigrationsToSchema(projectDir: string): Promise<string> {
  const schemaPath = path.join(projectDir, 'prisma', 'schema.prisma');
  const migrationsDir = path.join(projectDir, 'prisma', 'migrations');
  const schema = await readFile(schemaPath, 'utf8');
  const migrations = await readMigrationList(migrationsDir);

  const shadow = new PGlite();
  try {
    const { SchemaEngine } = await loadSchemaEngine();
    const engine = await SchemaEngine.new(
      { datamodels: [[schemaPath, schema]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(shadow)),
    );
    try {
      const result = await engine.diff({
        from: { tag: 'migrations', ...migrations },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      return normaliseScript(result.stdout ?? '');
    } finally {
      engine.free();
    }
  } finally {
    await shadow.close();
  }
}

/** Node has WebAssembly; our ES-only lib settings do not declare it. */
interface WasmRuntime {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
function wasmRuntime(): WasmRuntime {
  return (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;
}

let loaded: Promise<typeof engineBindings> | undefined;

/**
 * The package is built for bundlers (`import * as wasm from "./x.wasm"`), which
 * Node cannot load; instantiate the wasm ourselves and hand it to the bindings.
 */
function loadSchemaEngine(): Promise<typeof engineBindings> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@prisma/schema-engine-wasm');
    const wasmPath = path.join(path.dirname(entry), 'schema_engine_bg.wasm');
    const { instance } = await wasmRuntime().instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': engineBindings,
    });
    engineBindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return engineBindings;
  })();
  return loaded;
}

/** The engine prints this for an empty diff; we treat it as no SQL at all. */
function normaliseScript(sql: string): string {
  const trimmed = sql.trim();
  return trimmed === '-- This is an empty migration.' ? '' : trimmed;
}

async function readMigrationList(migrationsDir: string) {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    folders.map(async (folder) => ({
      path: folder,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(path.join(migrationsDir, folder, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    migrationDirectories,
    shadowDbInitScript: '',
  };
}
