import { buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { unstorableText, unstorableTextIn } from '../shared/storable-text';
import { unstorableTextError } from './input-text';

const schema = buildSchema(`
  scalar JSON
  enum Kind { A B }
  input Note { text: String, tags: [String!], meta: JSON, next: Note }
  input NewThing { name: String!, notes: [Note!], kind: Kind }
  type Thing { id: ID!, related(after: String): [Thing!]! }
  type Query { thing(id: ID!): Thing, things(filter: JSON): [Thing!]! }
  type Mutation { addThing(input: NewThing!): Thing }
`);

function refusal(query: string, variables?: Record<string, unknown>): { field: unknown; message: string } | null {
  const document = parse(query);
  const error = unstorableTextError(schema, document, getOperationAST(document)!, variables);
  return error && { field: error.extensions.field, message: error.message };
}

describe('unstorable text', () => {
  it('is a NUL or a lone surrogate; a well-formed astral character (a surrogate pair) is text like any other', () => {
    expect(unstorableText('a\u0000b')).toMatch(/NUL/);
    expect(unstorableText('\uD800')).toMatch(/surrogate/);
    expect(unstorableText('x\uDC00')).toMatch(/surrogate/);
    expect(unstorableText('\uDC00\uD800')).toMatch(/surrogate/);
    expect(unstorableText('Zoë 👩‍👧 \uD83D\uDE00')).toBeNull();
  });

  it('is found in a deeply nested JSON value without exhausting the stack, keys included', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(unstorableTextIn(deep, 'v')?.reason).toMatch(/NUL/);
    expect(unstorableTextIn({ ok: 1, ['k\uD800']: 1 }, 'v')).toEqual({
      path: 'v',
      reason: expect.stringMatching(/surrogate/),
    });
  });
});

describe('unstorable text in an operation', () => {
  it('names the argument path through input objects, lists and recursive inputs, for variables', () => {
    const query = 'mutation($i: NewThing!) { addThing(input: $i) { id } }';
    expect(refusal(query, { i: { name: 'a\u0000' } })).toEqual({
      field: 'input.name',
      message: 'input.name: must not contain a NUL character',
    });
    expect(refusal(query, { i: { name: 'ok', notes: [{ text: 'ok' }, { tags: ['x', '\uD800'] }] } })?.field).toBe(
      'input.notes[1].tags[1]',
    );
    expect(refusal(query, { i: { name: 'ok', notes: [{ next: { next: { text: '\uDC00' } } }] } })?.field).toBe(
      'input.notes[0].next.next.text',
    );
    expect(refusal(query, { i: { name: 'ok', notes: [{ meta: { deep: ['\u0000'] } }] } })?.field).toBe(
      'input.notes[0].meta.deep[0]',
    );
    expect(refusal(query, { i: { name: 'Zoë', notes: [{ text: '😀', meta: { a: ['b'] } }] } })).toBeNull();
  });

  it('checks literals, variables nested in literals, defaults when the variable is omitted, and arguments inside fragments', () => {
    expect(refusal('mutation { addThing(input: { name: "a\\u0000" }) { id } }')?.field).toBe('input.name');
    expect(
      refusal('mutation($t: String) { addThing(input: { name: "ok", notes: [{ text: $t }] }) { id } }', { t: '\uD800' })
        ?.field,
    ).toBe('input.notes[0].text');
    expect(refusal('query($f: JSON = { a: "\\u0000" }) { things(filter: $f) { id } }', {})?.field).toBe('filter');
    expect(refusal('query($f: JSON = { a: "\\u0000" }) { things(filter: $f) { id } }', { f: { a: 'ok' } })).toBeNull();
    expect(
      refusal('query($c: String) { thing(id: "1") { ...F } } fragment F on Thing { related(after: $c) { id } }', {
        c: 'x\u0000',
      })?.field,
    ).toBe('after');
    // A single value where a list is expected is coerced to a list of one.
    expect(
      refusal('mutation($i: NewThing!) { addThing(input: $i) { id } }', {
        i: { name: 'ok', notes: { tags: '\u0000' } },
      })?.field,
    ).toBe('input.notes.tags');
  });

  it('leaves variables the operation does not place at an argument to coercion', () => {
    expect(refusal('query($id: ID!) { thing(id: $id) { id } }', { id: 'ok', unused: '\u0000' })).toBeNull();
  });
});
