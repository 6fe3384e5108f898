// Runs a command through the command line's own dispatcher (runCli) in the
// test's process: the same argument parsing, configuration from the given
// environment, database opening, migrations and output as the entry point,
// without starting Node and the embedded database's WebAssembly afresh for
// each command (about 1 s of the 2 s a spawned command costs here). For tests
// of what commands do; what only the entry point does (exit codes of a real
// process, stdout and stderr apart, signals, a closed pipe, the compiled and
// tsx builds) stays with the tests that spawn it (spawn-cli.ts).
import { runCli } from '../../src/cli/run-cli.js';

/** Same shape as runCliProcess: the exit code, and stdout and stderr lines in the order written. */
export async function runCliInProcess(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  let output = '';
  const write = (line: string) => {
    output += `${line}\n`;
  };
  const code = await runCli(args, { out: write, err: write, isTty: false }, { PATH: process.env.PATH, HOME: process.env.HOME, ...env });
  return { code, output };
}
