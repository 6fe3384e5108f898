// Telling a live process from a later one that reuses its pid. Linux exposes a
// boot id and each process's start time (clock ticks since boot); elsewhere
// these are null and callers fall back to "is the pid alive".
import { readFileSync } from 'node:fs';

let bootId: string | null | undefined;

/** The kernel's boot id; the same in every container on one host until it reboots. */
export function readBootId(): string | null {
  bootId ??= readProcFile('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
  return bootId;
}

/** The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or null. */
export function readProcessStart(pid: number): string | null {
  const stat = readProcFile(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) is in parentheses and may itself hold spaces or ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : null;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

function readProcFile(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    // No /proc (macOS, Windows) or no such process: nothing to compare.
    if (typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ESRCH')) return null;
    throw error;
  }
}
