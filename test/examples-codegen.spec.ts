/**
 * The typed client's generated operations (src/client/generated/graphql.ts) are current: the
 * same as `npm run codegen` would write from today's schema/schema.graphql and operations. A
 * contract change that breaks an operation fails here (codegen validates the documents).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config, { GENERATED_FILE } from '../src/client/codegen';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('typed client codegen', () => {
  it('the committed generated file matches `npm run codegen`', async () => {
    const previous = process.cwd();
    process.chdir(ROOT);
    try {
      const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
      const output = outputs.find((o) => o.filename.endsWith(GENERATED_FILE));
      expect(output, 'codegen produced the client file').toBeDefined();
      const committed = readFileSync(`${ROOT}/${GENERATED_FILE}`, 'utf8');
      expect(
        committed === output!.content,
        'src/client/generated/graphql.ts is stale: run `npm run codegen` and commit it',
      ).toBe(true);
    } finally {
      process.chdir(previous);
    }
  });
});
