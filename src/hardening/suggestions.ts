/**
 * graphql-js appends "Did you mean …?" to many errors: validation (field and argument names) and
 * variable coercion (enum values, input field names). Apollo's DisableSuggestions plugin strips
 * only validation errors, and only at the end of a message. Where introspection is off (in
 * production) the schema is not published, so no suggestion leaves the process, whichever path
 * (Apollo, trusted operations, WebSocket) formed the error.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

// graphql-js's didYouMean: ` Did you mean "a", "b", or "c"?` (or `the enum value "A"?`); names hold no "?".
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

export function formattedWithoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  const message = withoutSuggestions(error.message);
  return message === error.message ? error : { ...error, message };
}

/** The same error without suggestions (a copy: graphql-js may share error objects). */
export function errorWithoutSuggestions(error: GraphQLError): GraphQLError {
  const message = withoutSuggestions(error.message);
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}
