#!/usr/bin/env node
// Entry point of the `account-health` command (package.json bin, npm start).
// First: sets a V8 flag the embedded database's start-up depends on (see the module).
import '../db/wasm-tiering.js';
import { runCli } from './run-cli.js';

// `account-health demo | head`: once the reader leaves, writes fail with EPIPE. That must
// not crash the command half-way through its work: it finishes, it just stops printing.
let stdoutOpen = true;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stdoutOpen = false;
});

runCli(process.argv.slice(2), {
  out: (line) => {
    if (stdoutOpen) process.stdout.write(`${line}\n`);
  },
  err: (line) => process.stderr.write(`${line}\n`),
  isTty: process.stdout.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
    // Open handles (wasm timers, idle pools) must not keep a finished command alive.
    if (!['serve', 'sandbox'].includes(process.argv[2] ?? '') || code !== 0) setTimeout(() => process.exit(code), 50).unref();
  },
  (error: unknown) => {
    process.stderr.write(`account-health: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
