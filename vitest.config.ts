import { defineConfig } from 'vitest/config';
import { WASM_TIERING_BUDGET_FLAG } from './src/db/wasm-tiering.js';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration and end-to-end tests open databases and HTTP servers; two
    // cores do best with a few forks rather than many threads.
    pool: 'forks',
    maxWorkers: 2,
    // Files share their worker process and its module cache: imports (and
    // V8's cache of compiled PGlite wasm) are paid once per worker rather
    // than once per file (import time 113 s → 16 s over the suite; 924 s →
    // 736 s in all). The price: a module's state outlives the file that set
    // it, so tests keep none (no vi.mock, no stubbed globals).
    isolate: false,
    // The same wasm tiering budget the command line sets (src/db/wasm-tiering.ts):
    // the in-process PGlite of integration tests starts as the product's does.
    execArgv: [WASM_TIERING_BUDGET_FLAG],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
    sequence: { sequencer: SlowFirstSequencer },
  },
});
