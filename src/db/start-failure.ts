/**
 * Why the database could not be opened or migrated at start, in one line an operator can act on.
 * Drizzle wraps the first failing statement ("Failed query: CREATE SCHEMA IF NOT EXISTS drizzle"),
 * which hides the cause: the driver's error underneath names it (a DNS failure, a refused port, a
 * missing database, a rejected password). The URL is shown without its password.
 */

interface CodedError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The innermost error in a `cause` chain that carries a code (driver or system error). */
function codedCause(error: unknown): CodedError | null {
  let found: CodedError | null = null;
  for (
    let e = error as CodedError | undefined, depth = 0;
    e && depth < 8;
    e = e.cause as CodedError | undefined, depth++
  ) {
    if (typeof e.code === 'string') found = e;
  }
  return found;
}

/** `user@host:port/database`, or `embedded PGlite` when there is no URL. */
export function describeDatabaseTarget(url: string | undefined): string {
  if (!url) return 'embedded PGlite';
  const u = new URL(url);
  const host = u.searchParams.get('host') ?? u.hostname;
  return `${decodeURIComponent(u.username) || '(default user)'}@${host}:${u.port || 5432}${u.pathname || '/'}`;
}

function reason(cause: CodedError, url: URL | null): string | null {
  const host = url ? (url.searchParams.get('host') ?? url.hostname) : '';
  const port = url?.port || '5432';
  const user = url ? decodeURIComponent(url.username) : '';
  const database = url ? decodeURIComponent(url.pathname.slice(1)) : '';
  switch (cause.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host "${host}" is unknown (the name did not resolve)`;
    case 'ECONNREFUSED':
      return `connection refused on ${host}:${port} (is PostgreSQL running and listening on that port?)`;
    case 'ENOENT':
      return `no PostgreSQL socket at ${host} (is the server running, is the path right?)`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return `no answer from ${host}:${port} in time (a firewall, or the wrong address?)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} cannot be reached from here (no route)`;
    case '3D000':
      return `database "${database}" does not exist on the server (create it, then run the migrations)`;
    case '28P01':
      return `password authentication failed for user "${user}" (wrong password)`;
    case '28000':
      return `the server refused user "${user}" (the role does not exist, or pg_hba.conf does not allow it)`;
    case '42501':
      return `user "${user}" lacks a privilege the migrations need (see README: Deployment, database roles)`;
    case '57P03':
      return 'the server is starting up or shutting down; try again shortly';
    case '53300':
      return 'the server has no free connection slots (too many clients)';
    default:
      return null;
  }
}

/** One line: what could not be reached and why. Unknown causes keep their code and the driver's message. */
export function databaseStartFailure(error: unknown, url: string | undefined): string {
  const target = describeDatabaseTarget(url);
  const cause = codedCause(error);
  const parsed = url ? new URL(url) : null;
  const why = cause
    ? (reason(cause, parsed) ?? `${String(cause.code)}: ${String(cause.message ?? '')}`)
    : String((error as Error)?.message ?? error);
  return `cannot use the database ${target}: ${why.split('\n')[0]}`;
}
