/** Hostile GraphQL documents, each refused by the hub (bench/hostile.ts sends them). */

const rep = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
/** Each refused by the hub; the comment says what held a core before. */
export const HOSTILE_DOCUMENTS: Record<string, string> = {
  // 2^40 selections in 1.6 KB: the unbudgeted root-field count ran for minutes.
  fragmentBomb40: `{ ...F0 } ${rep(40, (i) => (i === 39 ? `fragment F${i} on Query { me { role } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`))}`,
  // graphql-js's NoFragmentCycles and variable rules walk it: ~200 ms a refusal.
  fragmentCycle800: `{ ...F0 } ${rep(800, (i) => `fragment F${i} on Query { ...F${(i + 1) % 800} }`)}`,
  aliasedTypename3000: `{ ${rep(3_000, (i) => `a${i}: __typename`)} }`,
  aliasedSchema400: `{ ${rep(400, (i) => `s${i}: __schema { queryType { name } }`)} }`,
  rootFields2000: `{ ${'me { role } '.repeat(2_000)} }`,
  // OverlappingFieldsCanBeMerged compares every pair, each pair down its selections.
  repeatedObjectFields: `{ ${rep(14, () => `child(id: "x") { ${'openEha { id } '.repeat(31)} }`)} }`,
  repeatedLeaf9000: `{ me { ${'role '.repeat(9_000)} } }`,
  sameFieldFrom200Fragments: `{ child(id: "x") { ${rep(200, (i) => `...F${i}`)} } } ${rep(200, (i) => `fragment F${i} on Child { openEha { id } }`)}`,
  unknownFields3000: `{ me { ${rep(3_000, (i) => `f${i}`)} } }`,
  tokenLimit: `{ me { ${'role '.repeat(10_500)} } }`,
};
