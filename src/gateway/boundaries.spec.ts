/**
 * The gateway's two structural promises, read from the source: every unexpected failure is worded
 * by the one mask, and the arrows point one way (the gateway imports the domain; nothing below it
 * imports the gateway, only the composition root that mounts its transports).
 */
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relativeImports, sourceFiles } from '../../test/support/source-scan';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GATEWAY = join(SRC, 'gateway');
/** Mounts the transports on the HTTP server: above the gateway, not below it. */
const COMPOSITION_ROOTS = new Set(['server/hub.ts']);

const files = sourceFiles(SRC);

/** Every module a file imports, re-exports or loads, resolved to a path (relative specifiers only). */
const importedPaths = (file: { path: string; text: string }) => {
  const { static: fixed, dynamic } = relativeImports(file);
  return [...fixed, ...dynamic];
};

describe('the gateway boundary', () => {
  it('scans the source it means to (a scan of nothing would pass)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.name === join('gateway', 'mask.ts'))).toBe(true);
  });

  it('words an unexpected failure in one place only: the mask', () => {
    const wording = files.filter((f) => f.text.includes('Internal server error')).map((f) => f.name);
    expect(wording).toEqual([join('gateway', 'mask.ts')]);
  });

  it('is imported by nothing below it: no arrow from the domain to the gateway', () => {
    const offenders = files
      .filter((f) => !f.path.startsWith(GATEWAY + '/') && !COMPOSITION_ROOTS.has(f.name))
      .flatMap((f) =>
        importedPaths(f)
          .filter((p) => p === GATEWAY || p.startsWith(GATEWAY + '/'))
          .map((p) => `${f.name} → ${relative(SRC, p)}`),
      );
    expect(offenders).toEqual([]);
  });

  it('finds the import it forbids when one is there (the scan is not blind)', () => {
    const planted = { path: join(SRC, 'child', 'planted.ts'), text: "import { maskError } from '../gateway/mask';" };
    expect(importedPaths(planted)).toEqual([join(GATEWAY, 'mask')]);
  });
});
