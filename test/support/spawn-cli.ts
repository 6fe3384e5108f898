// Runs the real `account-health` entry point in a child process, as a user
// would, so module-format and start-up problems that vitest's own loader
// hides still fail a test: by default compiled as the packaged bin runs it
// (built once per run, see build-cli.ts; half tsx's start-up), or
// src/cli/index.ts through tsx as `npm start` runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX_ENTRY = path.join(PROJECT_DIR, 'src', 'cli', 'index.ts');

export type CliRunner = 'compiled' | 'tsx';

/** Node's arguments that start the entry point with `args`. */
export function cliArgs(args: string[], runner: CliRunner = 'compiled'): string[] {
  return runner === 'tsx' ? ['--import', 'tsx', TSX_ENTRY, ...args] : [inject('cliEntry'), ...args];
}

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when combined stdout+stderr matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

export function spawnCli(args: string[], env: Record<string, string | undefined>, runner: CliRunner = 'compiled'): CliProcess {
  const child = spawn(process.execPath, cliArgs(args, runner), {
    cwd: PROJECT_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            cleanup();
            resolve(match[0]);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern} in output:\n${output}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => setTimeout(check, 10));
        check();
      });
    },
  };
}

/** Runs a CLI command to completion; returns its exit code and output. */
export async function runCliProcess(args: string[], env: Record<string, string | undefined>, runner: CliRunner = 'compiled'): Promise<{ code: number | null; output: string }> {
  const cli = spawnCli(args, env, runner);
  const code = await cli.exited;
  return { code, output: cli.output() };
}

export interface ServeProcess {
  cli: CliProcess;
  /** http://127.0.0.1:PORT of the running process. */
  url: string;
}

/** Starts `account-health serve` (PORT=0 picks a free port) and resolves once it is serving. */
export async function startServeProcess(env: Record<string, string | undefined>, timeoutMs = 60_000, runner: CliRunner = 'compiled'): Promise<ServeProcess> {
  const cli = spawnCli(['serve'], { PORT: '0', ...env }, runner);
  const line = await cli.waitForOutput(/listening on port \d+/, timeoutMs);
  return { cli, url: `http://127.0.0.1:${line.replace(/\D+/g, '')}` };
}
