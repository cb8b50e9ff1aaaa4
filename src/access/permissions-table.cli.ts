/** Writes docs/permissions.md from the ISA data (`npm run -s permissions:table`; `--check` fails when stale). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPermissionsTable } from './permissions-table';

export const PERMISSIONS_DOC = fileURLToPath(new URL('../../docs/permissions.md', import.meta.url));

const text = renderPermissionsTable();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(PERMISSIONS_DOC, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current !== text) {
    console.error('docs/permissions.md is stale: run `npm run -s permissions:table` and commit it.');
    process.exit(1);
  }
  console.log('docs/permissions.md is current.');
} else {
  mkdirSync(dirname(PERMISSIONS_DOC), { recursive: true });
  writeFileSync(PERMISSIONS_DOC, text);
  console.log('Wrote docs/permissions.md');
}
