// PGlite has no cross-process locking: two processes on one data directory
// silently lose writes (shared/PRISMA-OFFLINE.md). We take an exclusive pid lock
// file next to the data before opening it; a second process is refused.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export class DataDirectoryInUseError extends Error {
  constructor(readonly dataDir: string, readonly ownerPid: number, readonly ownerCommand: string) {
    super(
      `The embedded database in ${dataDir} is in use by process ${ownerPid} (${ownerCommand}). ` +
        'Only one account-health process may open it: stop that process first, ' +
        'or send data to the running server through the ingestion API (POST /api/v1/...), ' +
        'or use PostgreSQL (DATABASE_URL) to run several processes.',
    );
    this.name = 'DataDirectoryInUseError';
  }
}

export interface DataDirectoryLock {
  release(): Promise<void>;
}

const LOCK_FILE = 'account-health.lock';
/** Lock files this process holds: a pid match alone is not ownership (pid 1 in every container). */
const heldHere = new Set<string>();

export async function lockDataDirectory(dataDir: string, command: string): Promise<DataDirectoryLock> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() }));
      await handle.close();
      heldHere.add(lockPath);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          heldHere.delete(lockPath);
          await rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      if (!isErrorCode(error, 'EEXIST')) throw error;
      const owner = await readLockOwner(lockPath);
      const ownedElsewhere = owner !== null && owner.pid !== process.pid && isProcessAlive(owner.pid);
      if (heldHere.has(lockPath) || ownedElsewhere) {
        throw new DataDirectoryInUseError(dataDir, owner?.pid ?? process.pid, owner?.command ?? command);
      }
      // The owner died without cleaning up (crash, SIGKILL): the lock is stale.
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database directory ${dataDir}`);
}

async function readLockOwner(lockPath: string): Promise<{ pid: number; command: string } | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(lockPath, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && typeof parsed.pid === 'number') {
      const command = 'command' in parsed && typeof parsed.command === 'string' ? parsed.command : 'unknown';
      return { pid: parsed.pid, command };
    }
    return null;
  } catch {
    // An unreadable or half-written lock file is treated as stale.
    return null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrorCode(error, 'EPERM');
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
