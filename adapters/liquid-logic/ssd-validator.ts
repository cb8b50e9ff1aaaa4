/**
 * Checks records against the repository's schema of the Standard Safeguarding Dataset
 * (./ssd/schema.ts): every field must exist in its object, carry the declared type
 * (nvarchar/nchar → string, datetime → ISO date, int → integer, float → number), hold a code from
 * the SSD's code set where the schema gives one, be no longer than the SSD allows where it says, and
 * every `required` field must be present. The outbox worker runs it on every record before sending
 * (its default `validateRecord`), and the simulator on every record it receives.
 */
import { ssdRowsOf } from './mapping';
import { SSD_SCHEMA, type SsdField } from './ssd/schema';

export type SsdFieldDefinition = SsdField;
export type SsdDefinitions = ReadonlyMap<string, ReadonlyMap<string, SsdFieldDefinition>>;

/** The schema as maps, the shape the checks below (and callers with their own definitions) use. */
export function loadSsdDefinitions(): SsdDefinitions {
  return new Map(Object.entries(SSD_SCHEMA).map(([object, fields]) => [object, new Map(Object.entries(fields))]));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function hasType(def: SsdFieldDefinition, value: unknown): boolean {
  switch (def.type) {
    case 'nvarchar':
      return typeof value === 'string';
    case 'nchar':
      return typeof value === 'string' && value.length === 1;
    case 'datetime':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
    case 'int':
      return Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
  }
}

export function validateSsdRow(defs: SsdDefinitions, object: string, row: Record<string, unknown>): string[] {
  const fields = defs.get(object);
  if (!fields) return [`${object}: not an SSD object`];
  const problems: string[] = [];
  for (const [name, def] of fields) {
    if (def.required && (row[name] === undefined || row[name] === null || row[name] === ''))
      problems.push(`${object}.${name}: required`);
  }
  for (const [name, value] of Object.entries(row)) {
    const def = fields.get(name);
    if (!def) {
      problems.push(`${object}.${name}: not in the SSD object`);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!hasType(def, value)) problems.push(`${object}.${name}: not a valid ${def.type}`);
    else if (def.codes && !def.codes.includes(value as string))
      problems.push(`${object}.${name}: not in the SSD code set`);
    else if (def.maxLength !== undefined && String(value).length > def.maxLength)
      problems.push(`${object}.${name}: longer than ${def.maxLength} characters`);
  }
  return problems;
}

/** Problems with every SSD row inside an outbound record (see `ssdRowsOf`). */
export function ssdRecordValidator(
  defs: SsdDefinitions = loadSsdDefinitions(),
): (entity: string, record: unknown) => string[] {
  return (_entity, record) => ssdRowsOf(record).flatMap(({ object, row }) => validateSsdRow(defs, object, row));
}
