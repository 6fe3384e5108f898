// The embedded database is PostgreSQL compiled to WebAssembly. V8 runs wasm
// first through its baseline compiler and recompiles a function with its
// optimising compiler, in the background, once the function has run about
// `--wasm-tiering-budget` bytes of code. At the default (1.8 MB), starting
// PostgreSQL alone makes thousands of functions "hot": a one-shot command
// spends most of a second of CPU optimising code it then hardly runs. A
// budget 55 times larger leaves start-up on baseline code and still
// optimises what a long run keeps executing. Measured on a 2-core machine:
// `source list` 3.45 → 2.65 s of CPU (2.5 → 2.05 s wall); `demo` (240
// accounts) 37.1 → 33.7 s.
//
// Imported first by the command line's entry point: the flag is read when a
// wasm module is instantiated, so it must be set before the database opens
// (worker threads share the process's flags). Tests set the same flag on
// their workers (vitest.config.ts).
import v8 from 'node:v8';

export const WASM_TIERING_BUDGET_FLAG = '--wasm-tiering-budget=100000000';

v8.setFlagsFromString(WASM_TIERING_BUDGET_FLAG);
