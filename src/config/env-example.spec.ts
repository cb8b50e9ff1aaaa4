/**
 * .env.example lists every variable the configuration schemas read, each with the schema's own
 * default, so the example cannot drift from src/config: a variable added, renamed or given a new
 * default fails here until the example says the same.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ZodTypeAny } from 'zod';
import { describe, expect, it } from 'vitest';
import { syncConfigSchema } from '../outbox/outbox.config';
import { configSchema } from './config';

const example = readFileSync(fileURLToPath(new URL('../../.env.example', import.meta.url)), 'utf8');
const shapes: Record<string, ZodTypeAny> = { ...configSchema.shape, ...syncConfigSchema.shape };

/** `NAME=value` lines (a default) and `# NAME=` lines (no default). */
function entries(): Map<string, string | null> {
  const found = new Map<string, string | null>();
  for (const line of example.split('\n')) {
    const set = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    const unset = /^# ([A-Z][A-Z0-9_]*)=$/.exec(line);
    if (set) found.set(set[1]!, set[2]!);
    else if (unset) found.set(unset[1]!, null);
  }
  return found;
}

describe('.env.example', () => {
  it('lists every configuration variable, and nothing else', () => {
    expect([...entries().keys()].sort()).toEqual(Object.keys(shapes).sort());
  });

  it.each(Object.keys(shapes))('%s: shows the default (or none when there is none)', (name) => {
    const listed = entries().get(name);
    const byDefault = shapes[name]!.safeParse(undefined);
    if (listed === null || listed === undefined) {
      expect(byDefault.success && byDefault.data === undefined, `${name} has a default; write ${name}=<default>`).toBe(
        true,
      );
    } else {
      const fromExample = shapes[name]!.safeParse(listed === '' ? undefined : listed);
      expect(fromExample.success, `${name}=${listed} is not a valid value`).toBe(true);
      expect(fromExample.data, `${name}=${listed} is not the default`).toEqual(byDefault.data);
      expect(byDefault.data, `${name} has no default; write it as "# ${name}="`).not.toBeUndefined();
    }
  });
});
