// Who a command's audit entries name. $USER is unset in cron jobs, containers
// and `env -i` shells, where the audit log used to say "cli:unknown"; the OS
// knows who runs the process.
import os from 'node:os';

export function cliActor(): string {
  return `cli:${osUserName()}`;
}

function osUserName(): string {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // A uid without a passwd entry (containers run as an arbitrary uid): name the uid instead.
  }
  return typeof process.getuid === 'function' ? `uid ${process.getuid()}` : 'unknown';
}
