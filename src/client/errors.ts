/**
 * Typed errors for hub clients: one class per `extensions.code`, so a partner writes
 * `if (e instanceof ConsentRequiredClientError)` (or switches on `e.code`) instead of parsing
 * messages. Each carries what the hub put in the error's extensions: the input field at fault,
 * the ISA category refused, and the request id to quote when reporting a problem.
 */

/** The codes the hub sends (README, "Errors": the domain codes, rate limiting and masked failures). */
export const HUB_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONSENT_REQUIRED',
  'NO_RELATIONSHIP',
  'BAD_USER_INPUT',
  'INVALID_TRANSITION',
  'CONFLICT',
  'NOT_FOUND',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];

/** One error as the hub sent it (GraphQL error shape). */
export interface HubErrorDetail {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface HubClientErrorOptions {
  /** `extensions.field`: the input field at fault (BAD_USER_INPUT). */
  field?: string;
  /** `extensions.category`: the ISA data category refused (CONSENT_REQUIRED, NO_RELATIONSHIP). */
  category?: string;
  /** The hub's request id (error extensions, response extensions or the x-request-id header). */
  requestId?: string;
  /** HTTP status, when the refusal came before GraphQL (401, 413, 429, 503). */
  status?: number;
  /** Every error of the response, the first of which this one represents. */
  errors?: readonly HubErrorDetail[];
  /** The partial data the hub returned alongside the errors, if any. */
  data?: unknown;
}

/** Base class: every failure the client reports is one of these. */
export class HubClientError extends Error {
  /** `extensions.code`, or `NETWORK_ERROR` / an unknown code the hub sent. */
  readonly code: HubErrorCode | 'NETWORK_ERROR' | (string & {});
  readonly field?: string;
  readonly category?: string;
  readonly requestId?: string;
  readonly status?: number;
  readonly errors: readonly HubErrorDetail[];
  readonly data?: unknown;

  constructor(code: string, message: string, options: HubClientErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.field = options.field;
    this.category = options.category;
    this.requestId = options.requestId;
    this.status = options.status;
    this.errors = options.errors ?? [];
    this.data = options.data;
  }
}

export class UnauthenticatedClientError extends HubClientError {}
export class ForbiddenClientError extends HubClientError {}
export class ConsentRequiredClientError extends HubClientError {}
export class NoRelationshipClientError extends HubClientError {}
export class BadUserInputClientError extends HubClientError {}
export class InvalidTransitionClientError extends HubClientError {}
export class ConflictClientError extends HubClientError {}
export class NotFoundClientError extends HubClientError {}
export class RateLimitedClientError extends HubClientError {}
/** The hub's database was unreachable; nothing was done: retry after the `Retry-After` seconds. */
export class ServiceUnavailableClientError extends HubClientError {}
export class InternalServerClientError extends HubClientError {}
/** The hub could not be reached, or answered with something that is not GraphQL. */
export class NetworkClientError extends HubClientError {}

const CLASSES: Record<HubErrorCode, typeof HubClientError> = {
  UNAUTHENTICATED: UnauthenticatedClientError,
  FORBIDDEN: ForbiddenClientError,
  CONSENT_REQUIRED: ConsentRequiredClientError,
  NO_RELATIONSHIP: NoRelationshipClientError,
  BAD_USER_INPUT: BadUserInputClientError,
  INVALID_TRANSITION: InvalidTransitionClientError,
  CONFLICT: ConflictClientError,
  NOT_FOUND: NotFoundClientError,
  RATE_LIMITED: RateLimitedClientError,
  SERVICE_UNAVAILABLE: ServiceUnavailableClientError,
  INTERNAL_SERVER_ERROR: InternalServerClientError,
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The typed error for a response's errors: the first error decides the class (the hub reports
 * one refusal per field; the rest stay in `errors`).
 */
export function hubErrorFrom(
  errors: readonly HubErrorDetail[],
  context: { requestId?: string; status?: number; data?: unknown } = {},
): HubClientError {
  const first = errors[0] ?? { message: 'The hub returned an error without details' };
  const ext = first.extensions ?? {};
  const code = text(ext.code) ?? 'INTERNAL_SERVER_ERROR';
  const Class = (CLASSES as Record<string, typeof HubClientError>)[code] ?? HubClientError;
  return new Class(code, first.message, {
    field: text(ext.field),
    category: text(ext.category),
    requestId: text(ext.requestId) ?? context.requestId,
    status: context.status,
    errors,
    data: context.data,
  });
}
