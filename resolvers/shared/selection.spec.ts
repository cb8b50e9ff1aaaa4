import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsField } from './selection';

const schema = buildSchema(`
  type Eha { id: ID }
  type Child { id: ID, openEha: Eha, sibling: Child }
  type Query { child: Child }
`);

/** What `selectsField(info, 'openEha')` says on the root field `child` of `query`. */
async function seen(query: string): Promise<boolean> {
  let answer: boolean | undefined;
  const result = await graphql({
    schema,
    source: query,
    rootValue: {
      child: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
        answer = selectsField(info, 'openEha');
        return {};
      },
    },
  });
  expect(result.errors).toBeUndefined();
  return answer!;
}

describe('selectsField (lookahead of a root resolver)', () => {
  it('sees a direct selection', async () => {
    expect(await seen('{ child { id openEha { id } } }')).toBe(true);
  });

  it('sees it through an inline fragment and a named fragment, even spread twice', async () => {
    expect(await seen('{ child { ... on Child { openEha { id } } } }')).toBe(true);
    expect(
      await seen(
        'query { child { ...A ...A } } fragment A on Child { id ...B } fragment B on Child { openEha { id } }',
      ),
    ).toBe(true);
  });

  it('does not see a field of the same name deeper down, or an absent one', async () => {
    expect(await seen('{ child { id sibling { openEha { id } } } }')).toBe(false);
    expect(await seen('query { child { ...A } } fragment A on Child { id }')).toBe(false);
  });

  it('counts a conditional selection as selected (a read that may go unused, never a missing one)', async () => {
    expect(await seen('{ child { openEha @skip(if: true) { id } } }')).toBe(true);
  });
});
