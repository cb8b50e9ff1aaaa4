/**
 * One GraphQLError subclass per code. Messages never carry personal data: they name fields,
 * categories and ids the caller already sent, nothing read from a child's record.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from './codes';

export abstract class HubError extends GraphQLError {
  abstract readonly code: ErrorCode;
  constructor(message: string, extensions: Record<string, unknown>, code: ErrorCode) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class UnauthenticatedError extends HubError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message = 'A valid bearer token is required') {
    super(message, {}, ErrorCode.UNAUTHENTICATED);
  }
}

export class ForbiddenError extends HubError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message = 'Your role does not permit this', extensions: Record<string, unknown> = {}) {
    super(message, extensions, ErrorCode.FORBIDDEN);
  }
}

export class ConsentRequiredError extends HubError {
  readonly code = ErrorCode.CONSENT_REQUIRED;
  constructor(category: string) {
    super(
      `No consent or safeguarding override in force for category "${category}"`,
      { category },
      ErrorCode.CONSENT_REQUIRED,
    );
  }
}

/** Deliberately identical whether or not the child exists, so ids cannot be probed. */
export class NoRelationshipError extends HubError {
  readonly code = ErrorCode.NO_RELATIONSHIP;
  constructor(category?: string) {
    super('No relationship with this child permits access', category ? { category } : {}, ErrorCode.NO_RELATIONSHIP);
  }
}

export class BadUserInputError extends HubError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, { field }, ErrorCode.BAD_USER_INPUT);
  }
}

export class InvalidTransitionError extends HubError {
  readonly code = ErrorCode.INVALID_TRANSITION;
  constructor(from: string, action: string) {
    super(`Cannot ${action} from state ${from}`, { from, action }, ErrorCode.INVALID_TRANSITION);
  }
}

export class ConflictError extends HubError {
  readonly code = ErrorCode.CONFLICT;
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, extensions, ErrorCode.CONFLICT);
  }
}

export class NotFoundError extends HubError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(what: string) {
    super(`${what} not found`, { what }, ErrorCode.NOT_FOUND);
  }
}

/** For states the code makes impossible; a failure here is a bug, masked at the edge. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant failed: ${message}`);
}

/** A service the hub depends on (other than its database) is not configured or not answering: nothing was done; retry later. */
export class ServiceUnavailableError extends HubError {
  readonly code = ErrorCode.SERVICE_UNAVAILABLE;
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, extensions, ErrorCode.SERVICE_UNAVAILABLE);
  }
}
