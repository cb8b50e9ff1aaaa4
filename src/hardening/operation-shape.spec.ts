import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getIntrospectionQuery,
  parse,
  specifiedRules,
  validate,
  visit,
  type ASTVisitor,
  type DocumentNode,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost } from './cost.plugin';
import { DEFAULT_LIMITS } from './limits';
import { MAX_OVERLAP_WORK, measureDocument, shapeErrors } from './operation-shape';
import { operationShapeRule } from './operation-shape.rule';

const schema = buildSchema(`
  type Query { me: Me! child(id: ID!): Child list(first: Int): [Child!]! }
  type Me { role: String! subject: String! }
  type Child { id: ID! eha: Eha }
  type Eha { id: ID! lead: Lead }
  type Lead { name: String! }
`);

const rep = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

function bomb(levels: number, root = '{ ...F0 }'): DocumentNode {
  return parse(
    `${root} ${rep(levels, (i) => (i === levels - 1 ? `fragment F${i} on Query { me { role } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`))}`,
  );
}

/** Selections written in the document (fields, spreads, inline fragments). */
function written(document: DocumentNode): number {
  let n = 0;
  visit(document, {
    Field: () => {
      n++;
    },
    FragmentSpread: () => {
      n++;
    },
    InlineFragment: () => {
      n++;
    },
  });
  return n;
}

const limits = (document: DocumentNode) =>
  shapeErrors(document, DEFAULT_LIMITS).map((e) => e.extensions.limit ?? e.message);

describe('measureDocument', () => {
  it('measures a 40-level fragment bomb with one visit per selection written', () => {
    const document = bomb(40);
    const shape = measureDocument(document);
    expect(shape.visits).toBe(written(document));
    const [operation] = [...shape.operations.values()];
    expect(operation!.rootFields).toBe(2 ** 39);
    expect(operation!.selections).toBeGreaterThan(2 ** 40);
    expect(limits(document)).toEqual(['maxRootFields', 'maxSelections', 'maxOverlapWork']);
  });

  it('finds a cycle of 800 fragments once, in one visit per selection', () => {
    const document = parse(
      `{ ...F0 } ${rep(800, (i) => `fragment F${i} on Query { me { role } ...F${(i + 1) % 800} }`)}`,
    );
    const shape = measureDocument(document);
    expect(shape.visits).toBe(written(document));
    expect(shape.cycle).toHaveLength(800);
    expect(shape.cycle!.slice(0, 2)).toEqual(['F0', 'F1']);
    expect(shapeErrors(document, DEFAULT_LIMITS)[0]!.message).toBe(
      'Cannot spread fragment "F0" within itself via "F1", "F2", "F3", "F4", "F5" and 794 more.',
    );
  });

  it('measures fragments no operation spreads (graphql-js validates them too)', () => {
    const document = parse(
      `{ me { role } } ${rep(30, (i) => (i === 29 ? `fragment F${i} on Query { me { role } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`))}`,
    );
    expect(limits(document)).toEqual(['maxOverlapWork']);
  });

  it('counts meta fields: aliased __typename, __typename in the depth, __schema at the root', () => {
    expect(limits(parse(`{ ${rep(31, (i) => `t${i}: __typename`)} }`))).toEqual(['maxRootFields', 'maxAliases']);
    expect(limits(parse(`{ me { ${rep(31, (i) => `t${i}: __typename`)} } }`))).toEqual(['maxAliases']);
    expect(limits(parse(`{ ${'me { '.repeat(12)}__typename${' }'.repeat(12)} }`))).toEqual(['maxDepth']);
    expect(limits(parse(`{ ${rep(16, (i) => `s${i}: __schema { queryType { name } }`)} }`))).toContain('maxRootFields');
  });

  it("lets graphql-js's own introspection query through, with its own depth allowance", () => {
    const shape = [...measureDocument(parse(getIntrospectionQuery())).operations.values()][0]!;
    expect(shape.depth).toBe(1);
    expect(shape.introspectionDepth).toBeGreaterThan(DEFAULT_LIMITS.maxDepth);
    expect(limits(parse(getIntrospectionQuery()))).toEqual([]);
    expect(limits(parse(`{ __schema { types { ${'ofType { '.repeat(20)}name${' }'.repeat(20)} } } }`))).toEqual([
      'maxIntrospectionDepth',
    ]);
  });

  it('bounds the pairs graphql-js would compare: copies of one field, times their own selections', () => {
    // 14 copies of a field holding 31 copies of another: ~400 000 comparisons.
    const nested = parse(`{ ${rep(14, () => `child(id: "x") { ${'eha { id } '.repeat(31)} }`)} }`);
    expect(measureDocument(nested).overlapWork).toBeGreaterThan(MAX_OVERLAP_WORK * 10);
    expect(limits(nested)).toEqual(['maxOverlapWork']);
    // The same name spread in from 200 fragments.
    const spread = parse(
      `{ child(id: "x") { ${rep(200, (i) => `...F${i}`)} } } ${rep(200, (i) => `fragment F${i} on Child { eha { id } }`)}`,
    );
    expect(limits(spread)).toEqual(['maxOverlapWork']);
    // 9 000 copies of one leaf.
    expect(limits(parse(`{ me { ${'role '.repeat(9_000)} } }`))).toEqual(['maxOverlapWork']);
    // Distinct names cost nothing; two fragments overlapping on one field cost little.
    expect(
      measureDocument(parse('{ me { role subject } child(id: "x") { id eha { id lead { name } } } }')).overlapWork,
    ).toBe(0);
    expect(
      measureDocument(
        parse(
          '{ child(id: "x") { ...A ...B } } fragment A on Child { eha { id } } fragment B on Child { eha { lead { name } } }',
        ),
      ).overlapWork,
    ).toBeLessThan(20);
  });

  it("passes every operation the hub's own client sends", () => {
    const dir = join(import.meta.dirname, '../client/operations');
    for (const file of readdirSync(dir)) {
      expect(limits(parse(readFileSync(join(dir, file), 'utf8'))), file).toEqual([]);
    }
  });
});

describe('operationShapeRule', () => {
  it('refuses on entering the document and hides it from every later rule', () => {
    let selectionSetsSeen = 0;
    const counting = (): ASTVisitor => ({
      SelectionSet: () => {
        selectionSetsSeen++;
      },
    });
    const document = bomb(30, '{ ...F0 nope }');
    const errors = validate(schema, document, [
      ...specifiedRules.filter((r) => r.name === 'ExecutableDefinitionsRule'),
      operationShapeRule(DEFAULT_LIMITS),
      counting,
      ...specifiedRules,
    ]);
    expect(selectionSetsSeen).toBe(0);
    expect(errors.map((e) => e.extensions.limit)).toEqual(['maxRootFields', 'maxSelections', 'maxOverlapWork']);
  });

  it('leaves a document within the limits to the other rules', () => {
    const errors = validate(schema, parse('{ me { role nope } }'), [
      ...specifiedRules,
      operationShapeRule(DEFAULT_LIMITS),
    ]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Cannot query field "nope" on type "Me"/)]);
  });
});

describe('cost of meta fields', () => {
  it('counts __typename and __schema like any other field', () => {
    const plain = estimateCost(schema, parse('{ me { role } }'), {}, undefined);
    expect(estimateCost(schema, parse('{ me { role __typename } }'), {}, undefined)).toBe(plain + 1);
    expect(estimateCost(schema, parse(`{ ${rep(10, (i) => `t${i}: __typename`)} }`), {}, undefined)).toBe(10);
    expect(estimateCost(schema, parse('{ __schema { types { name } } }'), {}, undefined)).toBe(3);
  });
});

describe("a document deeper than the walk's stack", () => {
  it('is refused for its depth, not thrown', () => {
    // Built directly: no parser would hand over this many levels, but a bigger stack could.
    let set: SelectionSetNode = {
      kind: Kind.SELECTION_SET,
      selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } }],
    };
    for (let i = 0; i < 200_000; i++) {
      set = {
        kind: Kind.SELECTION_SET,
        selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'a' }, selectionSet: set }],
      };
    }
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY, selectionSet: set }],
    };
    const errors = shapeErrors(document, DEFAULT_LIMITS);
    expect(errors.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' }),
    ]);
  });
});
