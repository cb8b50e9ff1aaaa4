// `npm run build`: the production build in dist/ (`node dist/src/main.js`, no tsx at run time).
// tsc emits (type-graphql's decorators need its experimentalDecorators), tsc-alias adds the `.js`
// and `/index.js` endings Node's ES module loader needs, then the files that are read at run time
// beside the code (migrations, the DPO page) are copied.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'dist');
const bin = (name) => join(root, 'node_modules', '.bin', name);

rmSync(out, { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--resolve-full-paths'], { cwd: root, stdio: 'inherit' });
cpSync(join(root, 'schema', 'migrations'), join(out, 'schema', 'migrations'), { recursive: true });
for (const file of ['index.html', 'dpo.js', 'dpo.css'])
  cpSync(join(root, 'src', 'dpo-page', file), join(out, 'src', 'dpo-page', file));
