/**
 * Structural tests read the source as text: every production TypeScript file under a folder (specs
 * left out), and the relative modules each one imports, resolved to paths.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface SourceFile {
  path: string;
  name: string;
  text: string;
}

/** Every non-spec `.ts` file below `root`, named relative to it. */
export function sourceFiles(root: string, dir = root): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, path);
    return /\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name)
      ? [{ path, name: relative(root, path), text: readFileSync(path, 'utf8') }]
      : [];
  });
}

/** Relative module specifiers (imports, re-exports, bare imports; and `import()` apart), resolved. */
export function relativeImports(file: { path: string; text: string }): { static: string[]; dynamic: string[] } {
  const resolveAll = (specifiers: string[]) =>
    specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file.path), s));
  return {
    static: resolveAll(
      [...file.text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)].map(
        (m) => m[1] ?? m[2]!,
      ),
    ),
    dynamic: resolveAll([...file.text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!)),
  };
}
