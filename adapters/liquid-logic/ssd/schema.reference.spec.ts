/**
 * The in-repository SSD schema against the published definitions, when a copy of them (the
 * ssd-data-model `data/objects` folder) is given in SSD_REFERENCE_DIR: same fields, types, required
 * flags and item references, and every code in a code set appears in that field's guidance. Without
 * the copy there is nothing to compare with and the test is skipped; the schema itself is what the
 * validator and the other tests use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SSD_SCHEMA } from './schema';

const dir = process.env.SSD_REFERENCE_DIR;

describe.skipIf(!dir || !existsSync(dir))('SSD schema matches the published definitions', () => {
  for (const [object, fields] of Object.entries(SSD_SCHEMA)) {
    it(object, () => {
      const doc = parse(readFileSync(join(dir!, `${object}.yml`), 'utf8')) as {
        nodes: { name: string; fields: any[] }[];
      };
      const node = doc.nodes.find((n) => n.name === object)!;
      const published = Object.fromEntries(
        node.fields.map((f) => [
          f.name,
          {
            type: String(f.type).toLowerCase(),
            required: (f.validators ?? []).some((v: any) => v?.required?.enabled === true),
            itemRef: f.item_ref,
          },
        ]),
      );
      const ours = Object.fromEntries(
        Object.entries(fields).map(([name, f]) => [name, { type: f.type, required: f.required, itemRef: f.itemRef }]),
      );
      expect(ours).toEqual(published);
      for (const [name, f] of Object.entries(fields)) {
        if (!('codes' in f)) continue;
        const guidance = String(node.fields.find((p) => p.name === name).guidance);
        for (const code of f.codes)
          expect(guidance, `${object}.${name} ${code}`).toMatch(new RegExp(`(^|[\\s(])${code}\\b`));
      }
    });
  }
});
