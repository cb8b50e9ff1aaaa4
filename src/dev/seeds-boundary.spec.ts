/**
 * The running hub does not depend on seed data: nothing under src/ imports seeds/, so a change to
 * the demo city cannot change what production runs. The one exception is the composition root's
 * dynamic import of the demo city, taken only when SEED_DEMO asks for it (refused in production).
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relativeImports as imports, sourceFiles } from '../../test/support/source-scan';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEEDS = resolve(SRC, '..', 'seeds');
const files = sourceFiles(SRC);

const inSeeds = (path: string) => path === SEEDS || path.startsWith(SEEDS + '/');

describe('production code and the seeds', () => {
  it('scans the source it means to (a scan of nothing would pass)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.name === 'main.ts')).toBe(true);
  });

  it('imports nothing from seeds/ statically', () => {
    const offenders = files.flatMap((f) =>
      imports(f)
        .static.filter(inSeeds)
        .map((p) => `${f.name} → ${relative(SRC, p)}`),
    );
    expect(offenders).toEqual([]);
  });

  it('loads the demo city only from main.ts, on demand', () => {
    const loaders = files.filter((f) => imports(f).dynamic.some(inSeeds)).map((f) => f.name);
    expect(loaders).toEqual(['main.ts']);
  });

  it('finds the import it forbids when one is there (the scan is not blind)', () => {
    const planted = {
      path: join(SRC, 'auth', 'planted.ts'),
      text: "import { DEMO_PERSONAS } from '../../seeds/demo-city';\nconst x = await import('../../seeds/demo-city');",
    };
    expect(imports(planted).static.filter(inSeeds)).toEqual([join(SEEDS, 'demo-city')]);
    expect(imports(planted).dynamic.filter(inSeeds)).toEqual([join(SEEDS, 'demo-city')]);
  });
});
