/**
 * Structured JSON logs (pino). Log lines carry ids, codes, organisation and role — never names,
 * dates of birth, identifiers, addresses or free text; the redact list is a second line of defence.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(
  level: string = 'info',
  destination?: DestinationStream,
  format: 'json' | 'pretty' = 'json',
): Logger {
  return pino(
    {
      level,
      // pino-pretty (a development dependency) in a worker thread; the same redaction applies first.
      ...(format === 'pretty' && !destination
        ? {
            transport: {
              target: 'pino-pretty',
              options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' },
            },
          }
        : {}),
      base: { service: 'early-help-hub' },
      redact: {
        paths: [
          'req.headers.authorization',
          '*.authorization',
          '*.token',
          '*.variables',
          '*.query',
          '*.params',
          '*.detail',
          '*.nhsNumber',
          '*.upn',
          '*.givenName',
          '*.familyName',
          '*.dateOfBirth',
          '*.expectedDate',
          '*.postcode',
          '*.addressLine',
          '*.phone',
          '*.*.nhsNumber',
          '*.*.upn',
          '*.*.givenName',
          '*.*.familyName',
          '*.*.dateOfBirth',
          '*.*.postcode',
          '*.*.addressLine',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });

/** What may be logged about an error: never a driver's `detail`, `params`, `query` or values. */
export interface SafeErrorFields {
  name: string;
  code?: string;
  message: string;
  /** Set when the error wrapped a database driver's error (drizzle's DrizzleQueryError). */
  wrapped?: string;
  constraint?: string;
  stack?: string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]{0,62}$/;

/**
 * Keeps a message's shape and drops values: quoted literals (unless they look like SQL
 * identifiers such as a constraint name), digit runs, and anything after `params:`/`detail:`.
 * Driver messages such as `invalid input syntax for type date: "…"` quote the caller's value.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/\b(params|parameters|detail|values?):[\s\S]*$/i, '$1: [redacted]')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'[redacted]'")
    .replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) => (IDENTIFIER.test(inner) ? whole : '"[redacted]"'))
    .replace(/\d{4,}/g, '[n]')
    .slice(0, 300);
}

/**
 * A message is logged (scrubbed) only when it comes from a database driver or the system (it has
 * a code such as SQLSTATE `23505` or `ECONNREFUSED`) or from an invariant; any other error's
 * message could have been built from a record's values, so only its name and frames are kept.
 */
function loggableMessage(source: { message?: unknown; code?: unknown }): string {
  const message = typeof source.message === 'string' ? source.message : '';
  if (
    message.startsWith('Invariant failed:') ||
    (typeof source.code === 'string' && /^([0-9A-Z]{5}|E[A-Z_]+|ERR_[A-Z_]+)$/.test(source.code))
  ) {
    return scrubMessage(message);
  }
  return '[withheld: not a driver or system error; see the stack frames]';
}

/** The loggable fields of an error (unexpected errors are logged with these and the request id). */
export function safeErrorFields(error: unknown): SafeErrorFields {
  const e = (error ?? {}) as Error & {
    code?: unknown;
    cause?: unknown;
    query?: unknown;
    params?: unknown;
    constraint?: unknown;
    constraint_name?: unknown;
  };
  const wrapsDriverError = 'params' in e && 'query' in e;
  const source = (wrapsDriverError && e.cause ? e.cause : e) as typeof e;
  const constraint = source.constraint ?? source.constraint_name;
  return {
    name: typeof source.name === 'string' ? source.name : 'Error',
    ...(typeof source.code === 'string' ? { code: source.code } : {}),
    message: loggableMessage(source),
    ...(wrapsDriverError ? { wrapped: e.constructor?.name ?? e.name } : {}),
    ...(typeof constraint === 'string' && IDENTIFIER.test(constraint) ? { constraint } : {}),
    // Frames only: the stack's first line repeats the (unscrubbed) message.
    stack:
      typeof e.stack === 'string'
        ? e.stack
            .split('\n')
            .filter((l) => l.startsWith('    at '))
            .slice(0, 12)
            .map((l) => l.trim())
        : undefined,
  };
}
