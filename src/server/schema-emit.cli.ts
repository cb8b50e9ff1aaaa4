import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printContract } from './schema-emit';

const target = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
const sdl = await printContract();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current !== sdl) {
    console.error('schema/schema.graphql is stale: run `npm run schema:emit` and commit it.');
    process.exit(1);
  }
  console.log('schema/schema.graphql is current.');
} else {
  writeFileSync(target, sdl);
  console.log('Wrote schema/schema.graphql');
}
