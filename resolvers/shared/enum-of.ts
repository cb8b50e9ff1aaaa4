/**
 * A GraphQL enum object built from a fixed list declared elsewhere (usually next to the database
 * enum), so the list is written once and the GraphQL enum, the TypeScript type and the validation
 * cannot drift apart. The object maps each value to itself, as a string enum does.
 */
export type EnumOf<T extends string> = { readonly [K in T]: K };

export function enumOf<const T extends string>(values: readonly T[]): EnumOf<T> {
  return Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as EnumOf<T>;
}

/** The same, for the enums whose GraphQL names are the stored values in capitals (`NO_RELATIONSHIP`). */
export type UpperCaseEnumOf<T extends string> = { readonly [K in T as Uppercase<K>]: K };

export function upperCaseEnumOf<const T extends string>(values: readonly T[]): UpperCaseEnumOf<T> {
  return Object.freeze(Object.fromEntries(values.map((v) => [v.toUpperCase(), v]))) as UpperCaseEnumOf<T>;
}
