// "The database cannot be reached" as one line naming DATABASE_URL and the
// cause, instead of a driver stack trace. Only connection-level failures are
// described; any other error keeps its full report.

const NETWORK_HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing accepts connections there: is PostgreSQL running, on that host and port?',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ETIMEDOUT: 'the server did not answer in time',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ECONNRESET: 'the server closed the connection',
};

/** SQLSTATE codes of failures to connect (classes 08 and 28, plus the usual suspects). */
const SQLSTATE_HINTS: Readonly<Record<string, string>> = {
  '3D000': 'create that database, or fix its name in DATABASE_URL',
  '28P01': 'the password is wrong',
  '28000': 'the server does not accept this user from here (pg_hba.conf)',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has too many connections',
};

/** The failure's code and message, looking through wrappers (Prisma's adapter error, AggregateError). */
function findCause(error: unknown, depth = 0): { code: string; message: string } | null {
  if (depth > 5 || typeof error !== 'object' || error === null) return null;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = error instanceof Error ? error.message : '';
  if (code && (code in NETWORK_HINTS || code in SQLSTATE_HINTS || /^(08|28)/.test(code))) return { code, message };
  if (/timeout expired|connection timeout/i.test(message)) return { code: 'ETIMEDOUT', message };
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findCause(inner, depth + 1);
      if (found) return { ...found, message: message || found.message };
    }
  }
  return 'cause' in error ? findCause(error.cause, depth + 1) : null;
}

/** The URL as it can be shown: the password masked. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export function describeDatabaseFailure(error: unknown, databaseUrl: string | undefined): string | null {
  if (!databaseUrl) return null;
  const cause = findCause(error);
  if (!cause) return null;
  const hint = NETWORK_HINTS[cause.code] ?? SQLSTATE_HINTS[cause.code] ?? 'the server refused the connection';
  return `Cannot use the database at DATABASE_URL=${redactUrl(databaseUrl)}: ${cause.message || cause.code} (${hint}).`;
}
