// PGlite has no cross-process locking: two processes on one data directory
// silently lose writes (shared/PRISMA-OFFLINE.md). We take an exclusive lock
// file next to the data before opening it; a second process is refused.
//
// Acquisition is atomic: the owner record is written to a private file first
// and then hard-linked to the lock name, which fails if the name exists, so no
// process ever sees a half-written lock (the old open-then-write left a moment
// where a second process read an empty file, judged it stale and took the lock
// too: 8 processes × 8 rounds gave two owners). A lock whose owner is gone is
// broken under a second, short-lived lock, and only if it is still the same
// file that was judged stale.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isProcessAlive, readBootId, readProcessStart } from './process-identity.js';

export class DataDirectoryInUseError extends Error {
  constructor(readonly dataDir: string, readonly ownerPid: number | null, readonly ownerCommand: string, ownerHost: string | null = null) {
    const owner = ownerPid === null ? 'another process (its lock is being written)' : `process ${ownerPid}${ownerHost ? ` on ${ownerHost}` : ''} (${ownerCommand})`;
    super(
      `The embedded database in ${dataDir} is in use by ${owner}. ` +
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

/** Who holds the lock. `start` tells a live owner from a later process that reuses its pid. */
interface LockOwner {
  pid: number;
  command: string;
  host: string;
  bootId: string | null;
  start: string | null;
  nonce: string;
}

const LOCK_FILE = 'account-health.lock';
/** The owner touches its lock this often, so another host (container) sharing the volume can tell it is alive. */
const HEARTBEAT_MS = 15_000;
/** A lock from another host not touched for this long belongs to a process that is gone. */
const FOREIGN_STALE_MS = 4 * HEARTBEAT_MS;
/** An empty or unreadable lock this young may still be being written (file systems without hard links). */
const UNREADABLE_GRACE_MS = 10_000;
/** A lock-breaking marker older than this was left by a process that died while breaking. */
const BREAKER_STALE_MS = 10_000;
const ATTEMPTS = 20;

/** Lock files this process holds: a pid match alone is not ownership. */
const heldHere = new Set<string>();

export async function lockDataDirectory(dataDir: string, command: string): Promise<DataDirectoryLock> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, command, host: os.hostname(), bootId: readBootId(), start: readProcessStart(process.pid), nonce: randomBytes(12).toString('hex') };
  const record = `${JSON.stringify({ ...me, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (heldHere.has(lockPath)) throw new DataDirectoryInUseError(dataDir, process.pid, command);
    if (await createExclusively(lockPath, record)) {
      heldHere.add(lockPath);
      return holdLock(lockPath, me.nonce);
    }
    const seen = await readLock(lockPath);
    if (seen.kind === 'missing') continue;
    if (isHeld(seen)) {
      const owner = seen.kind === 'owner' ? seen.owner : null;
      throw new DataDirectoryInUseError(dataDir, owner?.pid ?? null, owner?.command ?? 'unknown', owner && owner.host !== me.host ? owner.host : null);
    }
    // The owner died without cleaning up (crash, SIGKILL, container restart): the lock is stale.
    await breakStaleLock(lockPath, seen.raw);
  }
  throw new Error(`Could not lock the embedded database directory ${dataDir}: its lock file keeps changing`);
}

/** true when this process created the lock file; false when one already exists. */
async function createExclusively(lockPath: string, record: string): Promise<boolean> {
  const temp = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, record, { flag: 'wx' });
  try {
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return false;
    // Some mounted volumes have no hard links: fall back to create-then-write;
    // readers treat a young unreadable lock as held, which closes that gap.
    if (isErrorCode(error, 'EPERM') || isErrorCode(error, 'ENOTSUP') || isErrorCode(error, 'ENOSYS')) return createByOpen(lockPath, record);
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function createByOpen(lockPath: string, record: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    try {
      await handle.writeFile(record);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return false;
    throw error;
  }
}

function holdLock(lockPath: string, nonce: string): DataDirectoryLock {
  // Only for observers on another host: a failed touch makes the lock look older
  // to them, never younger, and the next tick tries again.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      heldHere.delete(lockPath);
      const seen = await readLock(lockPath);
      // Never remove a lock that is no longer ours (it was broken and retaken).
      if (seen.kind === 'owner' && seen.owner.nonce === nonce) await rm(lockPath, { force: true });
    },
  };
}

type SeenLock =
  | { kind: 'missing' }
  | { kind: 'owner'; owner: LockOwner; raw: string; ageMs: number }
  | { kind: 'unreadable'; raw: string; ageMs: number };

async function readLock(lockPath: string): Promise<SeenLock> {
  let raw: string;
  let ageMs: number;
  try {
    [raw, ageMs] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath).then((s) => Date.now() - s.mtimeMs)]);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return { kind: 'missing' };
    throw error;
  }
  const owner = parseOwner(raw);
  return owner ? { kind: 'owner', owner, raw, ageMs } : { kind: 'unreadable', raw, ageMs };
}

const lockRecordSchema = z.object({
  pid: z.number().int().positive(),
  command: z.string().catch('unknown'),
  // Locks written before host and start were recorded name a pid only: read them as this host's.
  host: z.string().optional(),
  bootId: z.string().nullable().catch(null),
  start: z.string().nullable().catch(null),
  nonce: z.string().catch(''),
});

function parseOwner(raw: string): LockOwner | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null; // half-written or foreign content: judged by its age instead
  }
  const parsed = lockRecordSchema.safeParse(json);
  return parsed.success ? { ...parsed.data, host: parsed.data.host ?? os.hostname() } : null;
}

function isHeld(seen: Exclude<SeenLock, { kind: 'missing' }>): boolean {
  if (seen.kind === 'unreadable') return seen.ageMs < UNREADABLE_GRACE_MS;
  const owner = seen.owner;
  if (owner.host !== os.hostname()) return seen.ageMs < FOREIGN_STALE_MS;
  const bootId = readBootId();
  // Same host name, new boot: every process of the old boot is gone.
  if (owner.bootId !== null && bootId !== null && owner.bootId !== bootId) return false;
  if (!isProcessAlive(owner.pid)) return false;
  // A live process with that pid that started at another time is not the owner:
  // after a container restart every process is numbered from 1 again.
  const start = readProcessStart(owner.pid);
  if (owner.start !== null && start !== null) return owner.start === start;
  // No start time to compare (not Linux, or an old lock): a live pid is trusted
  // unless it is this very process, which does not hold it (heldHere says so).
  return owner.pid !== process.pid;
}

/** Removes the stale lock if it is still exactly `judged`; another breaker may have been first. */
async function breakStaleLock(lockPath: string, judged: string): Promise<void> {
  const breaker = `${lockPath}.break`;
  try {
    await writeFile(breaker, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
    const age = await stat(breaker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > BREAKER_STALE_MS) await rm(breaker, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    return;
  }
  try {
    const current = await readFile(lockPath, 'utf8').catch((error: unknown) => {
      if (isErrorCode(error, 'ENOENT')) return null;
      throw error;
    });
    if (current === judged) await rm(lockPath, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

