#!/usr/bin/env node
// Entry point of the `account-health` command (package.json bin, npm start).
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
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
