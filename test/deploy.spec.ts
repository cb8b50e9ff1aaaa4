/**
 * The deployment files, checked without a container engine (none on the CI machine): the
 * Dockerfile passes a Dockerfile linter (dockerfile-utils), runs as a non-root user, checks
 * /readyz and starts node directly; compose.yaml's commands name entries the build produces and
 * its hub settings are ones the configuration reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../src/config/config';
import { syncConfigSchema } from '../src/outbox/outbox.config';
import { ROOT } from './support/process';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, any>;
};
const settings = new Set([...Object.keys(configSchema.shape), ...Object.keys(syncConfigSchema.shape)]);

/** dist/x/y.js is built from x/y.ts (scripts/build.mjs keeps the layout). */
const sourceOf = (distPath: string) => join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

describe('Dockerfile', () => {
  it('passes the linter, which does catch a broken instruction', () => {
    expect(validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    expect(validate(dockerfile.replace('EXPOSE 4000', 'EXPOSE port-four-thousand')).length).toBeGreaterThan(0);
  });

  it('runs the compiled entry as the unprivileged node user, with a health check on /readyz', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
    expect(existsSync(sourceOf('dist/src/main.js'))).toBe(true);
    for (const [, from] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm))
      expect(existsSync(join(ROOT, from!)), from).toBe(true);
  });
});

describe('compose.yaml', () => {
  it('has PostgreSQL, the migration step, the hub, the outbox worker and the Liquid Logic simulator', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['db', 'hub', 'll-sim', 'migrate', 'worker']);
  });

  it.each(['migrate', 'hub', 'worker', 'll-sim'])(
    '%s: runs a built entry with node, on a read-only filesystem',
    (name) => {
      const service = compose.services[name];
      expect(service.command[0]).toBe('node');
      expect(existsSync(sourceOf(service.command[1])), service.command[1]).toBe(true);
      expect(service.read_only).toBe(true);
    },
  );

  it.each(['migrate', 'hub', 'worker'])('%s: sets only settings the configuration reads', (name) => {
    for (const key of Object.keys(compose.services[name].environment)) expect(settings.has(key), key).toBe(true);
  });

  it('the hub does not migrate, and the worker and hub start only after the migration step', () => {
    expect(compose.services.hub.environment.MIGRATE_ON_START).toBe('false');
    expect(compose.services.hub.environment.NODE_ENV).toBe('production');
    for (const name of ['hub', 'worker'])
      expect(compose.services[name].depends_on.migrate.condition).toBe('service_completed_successfully');
  });
});

describe('package.json', () => {
  // The tsx launcher relays a signal to its child and SIGKILLs it when the child has not confirmed
  // within 30 ms, which a busy event loop misses: the drain on SIGTERM would be cut short.
  it.each(['start', 'worker', 'll-sim', 'pds-sim', 'audit:witness'])(
    'npm run %s starts one node process (tsx as a loader), which SIGTERM reaches itself',
    (name) => {
      const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(scripts[name]).toMatch(/^node --import tsx [\w/.-]+\.ts$/);
    },
  );
});
