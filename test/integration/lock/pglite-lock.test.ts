// The embedded database's data-directory lock: many processes racing for it
// get exactly one owner per round, and a lock left behind by a process that is
// gone (crash, container restart reusing its pid, another host that stopped
// touching it) is taken over, while a live or half-written one is respected.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, lockDataDirectory } from '../../../src/db/pglite-lock.js';
import { readBootId, readProcessStart } from '../../../src/db/process-identity.js';

const CONTENDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-contender.ts');
const CONTENDERS = 8;
const ROUNDS = 8;

function startContender(dataDir: string): { child: ChildProcess; lines: string[]; ready: Promise<void>; done: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffer = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      if (line === 'READY') markReady();
      else lines.push(line);
    }
  });
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, lines, ready, done };
}

describe('data-directory lock', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'account-health-lock-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const freshDir = () => mkdtemp(path.join(root, 'd-'));

  it(`gives exactly one of ${CONTENDERS} processes racing in the same millisecond the lock, ${ROUNDS} rounds in a row`, async () => {
    const dataDir = await freshDir();
    const contenders = Array.from({ length: CONTENDERS }, () => startContender(dataDir));
    await Promise.all(contenders.map((c) => c.ready));
    const start = Date.now() + 300;
    for (const c of contenders) c.child.stdin?.end(`go ${start} ${ROUNDS} 600 250\n`);
    await Promise.all(contenders.map((c) => c.done));

    const all = contenders.flatMap((c) => c.lines);
    expect(all.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    for (let round = 0; round < ROUNDS; round += 1) {
      const outcomes = contenders.map((c) => c.lines.find((l) => l.startsWith('GOT ' + round + ' ') || l === `REFUSED ${round}`)?.split(' ')[0]);
      expect({ round, owners: outcomes.filter((o) => o === 'GOT').length, refused: outcomes.filter((o) => o === 'REFUSED').length }).toEqual({ round, owners: 1, refused: CONTENDERS - 1 });
    }
  }, 90_000);

  const lockFile = (dir: string) => path.join(dir, 'account-health.lock');
  const record = (fields: Record<string, unknown>) => JSON.stringify({ command: 'account-health serve', host: os.hostname(), bootId: readBootId(), nonce: 'n', ...fields });

  async function expectTaken(dir: string) {
    const lock = await lockDataDirectory(dir, 'test');
    await lock.release();
  }
  const expectRefused = (dir: string) => expect(lockDataDirectory(dir, 'test')).rejects.toBeInstanceOf(DataDirectoryInUseError);

  it('takes over a lock whose process has exited', async () => {
    const dir = await freshDir();
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid ?? 0;
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(lockFile(dir), record({ pid, start: '1' }));
    await expectTaken(dir);
  });

  it('respects a live owner, and takes over from a live process that only reuses its pid (container restart)', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const pid = sleeper.pid ?? 0;
      const start = readProcessStart(pid);
      const live = await freshDir();
      await writeFile(lockFile(live), record({ pid, start }));
      await expectRefused(live);
      await expect(lockDataDirectory(live, 'test')).rejects.toThrow(`in use by process ${pid} (account-health serve)`);

      if (start !== null) {
        const reused = await freshDir();
        await writeFile(lockFile(reused), record({ pid, start: String(Number(start) - 5000) }));
        await expectTaken(reused);
      }
      const rebooted = await freshDir();
      await writeFile(lockFile(rebooted), record({ pid, start, bootId: 'an-earlier-boot' }));
      await expectTaken(rebooted);
    } finally {
      sleeper.kill();
    }
  });

  it('respects a lock from another host while it is touched, and takes it over once it goes quiet', async () => {
    const dir = await freshDir();
    await writeFile(lockFile(dir), record({ pid: 1, start: '1', host: 'other-container' }));
    await expect(lockDataDirectory(dir, 'test')).rejects.toThrow('in use by process 1 on other-container');
    const old = new Date(Date.now() - 5 * 60_000);
    await utimes(lockFile(dir), old, old);
    await expectTaken(dir);
  });

  it('treats a young empty (half-written) lock as held and an old one as stale', async () => {
    const dir = await freshDir();
    await writeFile(lockFile(dir), '');
    await expect(lockDataDirectory(dir, 'test')).rejects.toThrow('in use by another process (its lock is being written)');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockFile(dir), old, old);
    await expectTaken(dir);
  });

  it('refuses a second lock in the same process and frees the directory on release', async () => {
    const dir = await freshDir();
    const lock = await lockDataDirectory(dir, 'first');
    await expectRefused(dir);
    await lock.release();
    await expectTaken(dir);
  });
});
