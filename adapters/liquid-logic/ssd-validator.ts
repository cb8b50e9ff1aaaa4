/**
 * Checks records against the Standard Safeguarding Dataset definitions, read from the SSD YAML
 * files at run time (never copied into the source): every field must exist in its object, carry
 * the declared type (nvarchar/nchar → string, datetime → ISO date, int → integer, float → number),
 * and every `required` field must be present. Used by the tests (and any worker given it as
 * `validateRecord`); `yaml` is a development dependency.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ssdRowsOf } from './mapping';

export interface SsdFieldDefinition { type: string; required: boolean }
export type SsdDefinitions = Map<string, Map<string, SsdFieldDefinition>>;

/** ../shared/reference/ssd next to the repository, or SSD_REFERENCE_DIR. */
export function defaultSsdDir(): string {
  return process.env.SSD_REFERENCE_DIR ?? resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/reference/ssd');
}

export function loadSsdDefinitions(dir = defaultSsdDir()): SsdDefinitions {
  if (!existsSync(dir)) throw new Error(`SSD reference not found at ${dir} (set SSD_REFERENCE_DIR)`);
  const defs: SsdDefinitions = new Map();
  for (const file of readdirSync(dir).filter((f) => /^ssd_.*\.ya?ml$/.test(f))) {
    const doc = parse(readFileSync(join(dir, file), 'utf8')) as { nodes?: { name: string; fields: any[] }[] };
    for (const node of doc.nodes ?? []) {
      const fields = new Map<string, SsdFieldDefinition>();
      for (const f of node.fields ?? []) {
        const required = (f.validators ?? []).some((v: any) => v && typeof v === 'object' && v.required?.enabled === true);
        fields.set(f.name, { type: String(f.type), required });
      }
      defs.set(node.name, fields);
    }
  }
  return defs;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function validateSsdRow(defs: SsdDefinitions, object: string, row: Record<string, unknown>): string[] {
  const fields = defs.get(object);
  if (!fields) return [`${object}: not an SSD object`];
  const problems: string[] = [];
  for (const [name, def] of fields) {
    if (def.required && (row[name] === undefined || row[name] === null || row[name] === '')) problems.push(`${object}.${name}: required`);
  }
  for (const [name, value] of Object.entries(row)) {
    const def = fields.get(name);
    if (!def) { problems.push(`${object}.${name}: not in the SSD object`); continue; }
    if (value === null || value === undefined) continue;
    const type = def.type.toLowerCase();
    const ok = type === 'nvarchar' || type === 'nchar' || type === 'varchar' ? typeof value === 'string'
      : type === 'datetime' || type === 'date' ? typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))
      : type === 'int' ? Number.isInteger(value)
      : type === 'float' ? typeof value === 'number'
      : true;
    if (!ok) problems.push(`${object}.${name}: not a valid ${def.type}`);
    if ((type === 'nchar') && typeof value === 'string' && value.length > 1 && /flag|is_/.test(name)) problems.push(`${object}.${name}: nchar flag must be one character`);
  }
  return problems;
}

/** Problems with every SSD row inside an outbound record (see `ssdRowsOf`). */
export function ssdRecordValidator(defs: SsdDefinitions = loadSsdDefinitions()): (entity: string, record: unknown) => string[] {
  return (_entity, record) => ssdRowsOf(record).flatMap(({ object, row }) => validateSsdRow(defs, object, row));
}
