/**
 * Text no store can hold, refused before execution on every transport: a NUL character
 * (PostgreSQL text cannot contain one, so the write failed as an internal error) and a lone UTF-16
 * surrogate (not encodable as UTF-8: the driver silently stored U+FFFD in its place). Every String,
 * ID, custom scalar and enum position reachable from an argument is checked — literals in the
 * document and variable values alike, through input objects, lists and JSON values — and the
 * refusal is BAD_USER_INPUT naming the argument path (`input.givenName`, `items[2].note`), so a
 * client can tell which of its fields to clean, and no resolver has run.
 *
 * Where the variables go is worked out once per operation (the document is walked with its
 * fragments, each once); each request then walks only its own variable values, along the types.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type ValidationContext,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { BadUserInputError, ErrorCode } from '../errors';
import { unstorableText, unstorableTextIn } from '../shared/storable-text';

/** A variable used at an argument position: its value is checked along `type` on each request. */
interface VariableUse {
  readonly name: string;
  readonly type: GraphQLInputType;
  readonly path: string;
}

interface OperationText {
  /** Unstorable text written in the document's arguments. */
  readonly literal: GraphQLError | null;
  readonly uses: readonly VariableUse[];
  /** Variable name → its default value (used when the request omits it). */
  readonly defaults: ReadonlyMap<string, ValueNode>;
}

const compiled = new WeakMap<OperationDefinitionNode, OperationText>();

/** A path through a JSON value nested a million deep would otherwise be a megabyte of message. */
const MAX_PATH = 200;

function refusal(path: string, reason: string): GraphQLError {
  return new BadUserInputError(path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path, reason);
}

/**
 * The refusal for unstorable text in the operation's arguments or in the variables they use, or
 * null. `operation` must belong to `document` (its fragments are looked up there).
 */
export function unstorableTextError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  { literalsOnly = false } = {},
): GraphQLError | null {
  let text = compiled.get(operation);
  if (!text) compiled.set(operation, (text = compile(schema, document, operation)));
  if (text.literal || literalsOnly) return text.literal;
  const given = variables ?? {};
  for (const use of text.uses) {
    if (!Object.hasOwn(given, use.name)) {
      const fallback = text.defaults.get(use.name);
      const found = fallback ? inNode(fallback, use.type, use.path, []) : null;
      if (found) return refusal(found.path, found.reason);
      continue;
    }
    const found = inValue(given[use.name], use.type, use.path);
    if (found) return refusal(found.path, found.reason);
  }
  return null;
}

function compile(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationText {
  const uses: VariableUse[] = [];
  let literal: GraphQLError | null = null;
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Argument(node) {
      const argument = typeInfo.getArgument();
      if (!argument || literal) return false; // unknown: validation reports it
      const found = inNode(node.value, argument.type, node.name.value, uses);
      if (found) literal = refusal(found.path, found.reason);
      return false;
    },
  });
  // The operation and every fragment: a fragment it does not use is refused by validation anyway.
  visit(operation, visitor);
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, visitor);
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  return { literal, uses, defaults };
}

/** Walks a literal along its type; variables met on the way are recorded in `uses`. */
function inNode(
  node: ValueNode,
  type: GraphQLInputType,
  path: string,
  uses: VariableUse[],
): { path: string; reason: string } | null {
  const pending: [ValueNode, GraphQLInputType, string][] = [[node, type, path]];
  while (pending.length > 0) {
    const [value, at, where] = pending.pop()!;
    if (value.kind === Kind.VARIABLE) {
      uses.push({ name: value.name.value, type: at, path: where });
      continue;
    }
    const inner = isNonNullType(at) ? at.ofType : at;
    if (isListType(inner)) {
      if (value.kind === Kind.LIST)
        value.values.forEach((item, i) => {
          pending.push([item, inner.ofType, `${where}[${i}]`]);
        });
      else pending.push([value, inner.ofType, where]);
    } else if (isInputObjectType(inner) && value.kind === Kind.OBJECT) {
      const fields = inner.getFields();
      for (const field of value.fields) {
        const definition = fields[field.name.value];
        if (definition) pending.push([field.value, definition.type, `${where}.${field.name.value}`]);
      }
    } else if (isLeafType(inner)) {
      // A scalar may take any JSON value, variables inside it included.
      const found = unstorableTextInLiteral(value, where, (name) => uses.push({ name, type: inner, path: where }));
      if (found) return found;
    }
  }
  return null;
}

function unstorableTextInLiteral(
  node: ValueNode,
  path: string,
  variable?: (name: string) => void,
): { path: string; reason: string } | null {
  const pending: ValueNode[] = [node];
  while (pending.length > 0) {
    const value = pending.pop()!;
    if (value.kind === Kind.STRING || value.kind === Kind.ENUM) {
      const reason = unstorableText(value.value);
      if (reason) return { path, reason };
    } else if (value.kind === Kind.LIST) {
      pending.push(...value.values);
    } else if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) pending.push(field.value);
    } else if (value.kind === Kind.VARIABLE) {
      variable?.(value.name.value);
    }
  }
  return null;
}

/** Walks a variable's value along its type: input object fields and list items by name and index. */
function inValue(value: unknown, type: GraphQLInputType, path: string): { path: string; reason: string } | null {
  const pending: [unknown, GraphQLInputType, string][] = [[value, type, path]];
  while (pending.length > 0) {
    const [v, at, where] = pending.pop()!;
    if (v === null || v === undefined) continue;
    const inner = isNonNullType(at) ? at.ofType : at;
    if (isListType(inner)) {
      if (Array.isArray(v))
        v.forEach((item, i) => {
          pending.push([item, inner.ofType, `${where}[${i}]`]);
        });
      else pending.push([v, inner.ofType, where]);
    } else if (isInputObjectType(inner) && typeof v === 'object' && !Array.isArray(v)) {
      const fields = inner.getFields();
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        const definition = fields[key];
        // An unknown field is refused by coercion; its text is not looked at.
        if (definition) pending.push([item, definition.type, `${where}.${key}`]);
      }
    } else if (isLeafType(getNamedType(inner))) {
      const found = unstorableTextIn(v, where);
      if (found) return found;
    }
  }
  return null;
}

/** Apollo: refused once the operation is known, before execution (and its cost) start. */
export function unstorableTextPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = unstorableTextError(schema, document, operation, request.variables);
          if (!error) return;
          (error.extensions as Record<string, unknown>).http = { status: 400 };
          throw error;
        },
      };
    },
  };
}

/**
 * The same check on the document's literals as a validation rule, so text refused in a literal
 * is refused for what it is, before a scalar's own literal parsing (a DateTime) reports the
 * value as malformed; the refused document is pruned from the other rules' traversal.
 */
export function unstorableTextRule(context: ValidationContext): ASTVisitor {
  return {
    Document(document) {
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const error = unstorableTextError(context.getSchema(), document, definition, {}, { literalsOnly: true });
        if (error) {
          context.reportError(error);
          return null;
        }
      }
      return false;
    },
  };
}

/**
 * Apollo reports a validation rule's error as GRAPHQL_VALIDATION_FAILED; a refusal of the input
 * itself keeps BAD_USER_INPUT, as it has on every other path.
 */
export function withInputCode(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (!(original instanceof BadUserInputError) || formatted.extensions?.code === ErrorCode.BAD_USER_INPUT)
    return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
}
