// The command line as `npm run build` lays it out (src/x/y.ts → <dir>/x/y.js,
// one level below the project root, so the relative paths to assets/, the
// migrations and the sandbox page resolve as they do from dist/), compiled
// once per test run with esbuild, file by file (no bundling).
//
// Why: the tests that run the real entry point spawn well over a hundred
// processes. Under tsx each one first resolves and loads every source file
// through tsx's loader hooks (≈3 s per start on a quiet 2-core machine);
// plain Node on compiled files starts in about half that. It is still the
// real entry point in its own process, as the packaged `account-health` bin
// runs it, so module-format and start-up problems still fail a test;
// test/e2e/readme-examples.test.ts keeps the `npm start` (tsx) path covered.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const PREFIX = '.cli-build-';

export interface CliBuild {
  dir: string;
  entry: string;
}

export async function buildCli(runId: string): Promise<CliBuild> {
  const src = path.join(PROJECT_DIR, 'src');
  const entryPoints = (await readdir(src, { recursive: true }))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(src, file));
  const dir = path.join(PROJECT_DIR, `${PREFIX}${runId}`);
  await build({
    entryPoints,
    outdir: dir,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    absWorkingDir: PROJECT_DIR,
  });
  return { dir, entry: path.join(dir, 'cli', 'index.js') };
}

/** Builds left by runs killed before their teardown (over a day old). */
export async function removeStaleCliBuilds(): Promise<void> {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of await readdir(PROJECT_DIR)) {
    if (!name.startsWith(PREFIX)) continue;
    const full = path.join(PROJECT_DIR, name);
    if ((await stat(full)).mtimeMs < dayAgo) await rm(full, { recursive: true, force: true });
  }
}
