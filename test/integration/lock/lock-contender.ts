// A child process for the lock race test: waits for "go <epoch ms> <rounds> <gap ms> <hold ms>"
// on stdin, then in each round tries to lock the directory at the same instant
// as its siblings, holds the lock briefly and releases it. Prints one line per round.
import { createInterface } from 'node:readline';
import { DataDirectoryInUseError, lockDataDirectory } from '../../../src/db/pglite-lock.js';

const dataDir = process.argv[2] ?? '';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(at: number): Promise<void> {
  if (at - Date.now() > 15) await sleep(at - Date.now() - 15);
  while (Date.now() < at) {
    // spin: every contender should reach the lock in the same millisecond
  }
}

const lines = createInterface({ input: process.stdin });
process.stdout.write('READY\n');
for await (const line of lines) {
  const [word, start, rounds, gap, hold] = line.split(' ').map((x, i) => (i === 0 ? x : Number(x)));
  if (word !== 'go') continue;
  for (let round = 0; round < Number(rounds); round += 1) {
    await waitUntil(Number(start) + round * Number(gap));
    try {
      const lock = await lockDataDirectory(dataDir, `contender ${process.pid}`);
      process.stdout.write(`GOT ${round} ${Date.now()}\n`);
      await sleep(Number(hold));
      process.stdout.write(`RELEASE ${round} ${Date.now()}\n`);
      await lock.release();
    } catch (error) {
      process.stdout.write(error instanceof DataDirectoryInUseError ? `REFUSED ${round}\n` : `ERROR ${round} ${String(error)}\n`);
    }
  }
  break;
}
lines.close();
