/**
 * The first half of every way in: who is calling (a context built from the verified token, the
 * caller's rate limit, a masked failure), and whether the operation may run at all (parsed with
 * the token limit, the shape limits before graphql-js validation, variables, the cost limit, the
 * operation type the transport serves, the role's permission for each root field). Apollo runs
 * the same checks through its own hooks (transports/apollo.ts); the other transports call
 * `admitOperation` whole, or `admitDocument` once at start-up for a registered operation.
 */
import { HeaderMap } from '@apollo/server';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { Response } from 'express';
import { OPERATION_PERMISSIONS } from '../access/operation-permissions';
import type { Role } from '../access/roles';
import { BadUserInputError, ErrorCode, ForbiddenError } from '../errors';
import { costLimitError, estimateCost } from '../hardening/cost.plugin';
import { unstorableTextError } from '../hardening/input-text';
import type { OperationLimits } from '../hardening/limits';
import { shapeErrors } from '../hardening/operation-shape';
import type { RateLimiter } from '../hardening/rate-limit';
import { noteCaller, noteErrorCodes, requestLogRecord, type RequestLogRecord } from '../hardening/request-log';
import type { HubContext } from '../server/context';
import type { HubServices } from '../server/services';
import { isExpectedError, maskThrown } from './mask';

/** On the context itself (Apollo shallow-copies the context per operation, keeping own keys). */
const REQUEST_LOG = Symbol('requestLog');
type Logged = HubContext & { [REQUEST_LOG]?: RequestLogRecord };

export function requestLogOf(context: HubContext): RequestLogRecord | undefined {
  return (context as Logged)[REQUEST_LOG];
}

/**
 * Wraps a transport's context builder: an expected refusal (no token, bad purpose) passes, any
 * other failure is masked and logged without detail (the database down during the organisation
 * lookup is a 503), then the caller's rate limit is charged.
 */
export function admitCaller(services: HubServices, limiter: RateLimiter) {
  return <A extends { res: Response }>(build: (args: A) => Promise<HubContext>) =>
    async (args: A): Promise<HubContext> => {
      const record = requestLogRecord(args.res);
      let context: HubContext;
      try {
        context = await build(args);
      } catch (error) {
        const code = (error as GraphQLError).extensions?.code;
        if (error instanceof GraphQLError && isExpectedError(code)) {
          noteErrorCodes(record, [code]);
          throw error;
        }
        const masked = maskThrown(
          error,
          record.requestId,
          services.logger,
          services.database.health,
          'context creation failed',
        );
        noteErrorCodes(record, [masked.error.extensions?.code]);
        throw new GraphQLError(masked.error.message, {
          extensions: {
            ...masked.error.extensions,
            http: {
              status: masked.status,
              ...(masked.retryAfterSeconds !== undefined
                ? { headers: new HeaderMap([['retry-after', String(masked.retryAfterSeconds)]]) }
                : {}),
            },
          },
        });
      }
      noteCaller(record, context.caller);
      (context as Logged)[REQUEST_LOG] = record;
      try {
        limiter.checkCaller(context.caller);
      } catch (error) {
        noteErrorCodes(record, [ErrorCode.RATE_LIMITED]);
        // Quoted when a partner asks why it was refused, as on every other refusal.
        if (error instanceof GraphQLError) (error.extensions as Record<string, unknown>).requestId = record.requestId;
        throw error;
      }
      return context;
    };
}

export interface AdmitSettings {
  readonly schema: GraphQLSchema;
  readonly limits: OperationLimits;
  /** Validation rules (default graphql-js's specified rules). */
  readonly rules?: readonly ValidationRule[];
}

export type Admitted<T> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly errors: readonly GraphQLError[] };

/**
 * Parse with the token limit, the shape before graphql-js's costlier rules, then validation. Given
 * the request, text no column can store (NUL, a lone surrogate) is refused before validation,
 * which would otherwise report such a literal as, say, a malformed DateTime.
 */
export function admitDocument(
  text: string,
  { schema, limits, rules = specifiedRules }: AdmitSettings,
  request?: Omit<OperationRequest, 'query'>,
): Admitted<{ document: DocumentNode }> {
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: limits.maxTokens });
  } catch (error) {
    // graphql-js's recursive parser overflows the stack on a few thousand nested braces: answered as Apollo answers it.
    return {
      ok: false,
      errors: [
        error instanceof GraphQLError
          ? error
          : new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
      ],
    };
  }
  const refused = shapeErrors(document, limits);
  if (refused.length > 0) return { ok: false, errors: refused };
  if (request) {
    const operation = getOperationAST(document, request.operationName);
    const unstorable = operation ? unstorableTextError(schema, document, operation, request.variables) : null;
    if (unstorable) return { ok: false, errors: [unstorable] };
  }
  const invalid = validate(schema, document, rules);
  if (invalid.length > 0) return { ok: false, errors: invalid };
  return { ok: true, document };
}

export interface OperationRequest {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown> | null;
}

/**
 * A whole admission: the document, its variables (refused as BAD_USER_INPUT, as Apollo does), its
 * cost, the operation types this transport serves, and the caller's role on every root field.
 */
export function admitOperation(
  settings: AdmitSettings,
  request: OperationRequest,
  role: Role,
  serves: readonly string[],
  wrongType: () => GraphQLError,
): Admitted<{ document: DocumentNode; operation: OperationDefinitionNode }> {
  const { schema, limits } = settings;
  const parsed = admitDocument(request.query, settings, request);
  if (!parsed.ok) return parsed;
  const { document } = parsed;
  const operation = getOperationAST(document, request.operationName);
  if (!operation) return { ok: false, errors: [new GraphQLError('Unable to identify operation')] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
    maxErrors: 50,
  });
  if (coerced.errors)
    return {
      ok: false,
      errors: coerced.errors.map(
        (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } }),
      ),
    };
  let cost: number | undefined;
  try {
    cost = estimateCost(schema, document, request.variables ?? undefined, request.operationName);
  } catch {
    // The variables were coerced above; a cost that cannot be estimated is left to execution.
  }
  if (cost !== undefined && cost > limits.maxCost) return { ok: false, errors: [costLimitError(cost, limits.maxCost)] };
  if (!serves.includes(operation.operation)) return { ok: false, errors: [wrongType()] };
  const refused = operationPermissionError(document, operation, role);
  if (refused) return { ok: false, errors: [refused] };
  return { ok: true, document, operation };
}

const ROOT_TYPE = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/**
 * The role's permission for every root field, as the shield applies it per field at execution.
 * Refused whole here where no partial answer exists (a subscription has one root field).
 */
export function operationPermissionError(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  role: Role,
): GraphQLError | null {
  const allowed = OPERATION_PERMISSIONS[ROOT_TYPE[operation.operation]];
  for (const field of rootFields(document, operation.selectionSet)) {
    if (!allowed[field]?.includes(role)) return new ForbiddenError('Your role does not permit this operation');
  }
  return null;
}

/** A refusal of a request the transport does not serve, named for the field that carries it. */
export function unsupportedOperation(field: string, message: string): () => GraphQLError {
  return () => new BadUserInputError(field, message);
}

/** Root field names of an operation, through fragments (`__typename` needs no permission). */
function rootFields(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') names.push(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      names.push(...rootFields(document, selection.selectionSet, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment && fragment.kind === Kind.FRAGMENT_DEFINITION)
        names.push(...rootFields(document, fragment.selectionSet, seen));
    }
  }
  return names;
}
