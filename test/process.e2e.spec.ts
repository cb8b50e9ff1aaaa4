/**
 * The real processes: `npm start`'s entry point and the token CLI. Start-up config errors, a
 * token from `npm run -s token` working against a running hub, and SIGTERM draining a request
 * that is still arriving. Always embedded PGlite in memory: these test the process, not the driver.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../src/auth/dev-issuer';
import { trustRegistry } from '../src/auth/trust-registry';
import { createTokenVerifier } from '../src/auth/verify-token';
import { DEMO_PERSONAS } from '../seeds/demo-city';
import { freePort, runTsx, startHubProcess, type HubProcess } from './support/process';

const keysDir = mkdtempSync(join(tmpdir(), 'ehh-keys-'));
const SCREENER = DEMO_PERSONAS.find((p) => p.subject === 'demo-screener')!;
const DSL = DEMO_PERSONAS.find((p) => p.subject === 'demo-school-dsl')!;

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

describe('start-up configuration errors', () => {
  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://localhost/db'],
  ])('%s=%s stops the real process with exactly one line naming it', async (name, value) => {
    const result = await runTsx('src/main.ts', [], {
      [name]: value,
      PGLITE_DATA_DIR: 'memory://',
      DEV_KEYS_DIR: keysDir,
    });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stdout).toBe('');
    const lines = nonEmptyLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('an unreadable trust registry stops the process with one line naming the file', async () => {
    const path = join(keysDir, 'registry.json');
    writeFileSync(path, '[{"issuer": "urn:a"}]');
    const result = await runTsx('src/main.ts', [], {
      TRUST_REGISTRY_FILE: path,
      PGLITE_DATA_DIR: 'memory://',
      DEV_KEYS_DIR: keysDir,
    });
    expect(result.code).toBe(1);
    const lines = nonEmptyLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Invalid trust registry ${path}: entry 0.`);
  });
});

describe('production defaults', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['no trust registry', {}, /^Refusing to start: NODE_ENV=production needs TRUST_REGISTRY_FILE /],
    [
      'an empty trust registry',
      { TRUST_REGISTRY_FILE: 'EMPTY' },
      /^Refusing to start: NODE_ENV=production and the trust registry .* lists no issuer/,
    ],
    [
      'SEED_DEMO=true',
      { SEED_DEMO: 'true' },
      /^Invalid configuration: SEED_DEMO cannot be true when NODE_ENV=production/,
    ],
  ])(
    'with %s a production hub refuses to start, saying why in one line, before touching the database',
    async (_what, env, message) => {
      const empty = join(keysDir, 'empty-registry.json');
      writeFileSync(empty, '[]');
      const dataDir = mkdtempSync(join(tmpdir(), 'ehh-prod-'));
      const extra = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'EMPTY' ? empty : v]));
      const result = await runTsx('src/main.ts', [], {
        NODE_ENV: 'production',
        PGLITE_DATA_DIR: join(dataDir, 'pglite'),
        ...extra,
      });
      expect(result.code).toBe(78);
      expect(result.stdout).toBe('');
      const lines = nonEmptyLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
    },
  );
});

describe('migrations as their own step', () => {
  it('with MIGRATE_ON_START=false a hub on an unmigrated database refuses to start, naming the step', async () => {
    const result = await runTsx('src/main.ts', [], {
      MIGRATE_ON_START: 'false',
      PGLITE_DATA_DIR: 'memory://',
      DEV_KEYS_DIR: keysDir,
    });
    expect(result.code).toBe(1);
    expect(nonEmptyLines(result.stderr)).toEqual([
      expect.stringMatching(
        /^Early Help Hub failed to start: \d+ migration\(s\) not applied and MIGRATE_ON_START is off; run the migrations first \(npm run migrate\)$/,
      ),
    ]);
  });
});

describe('database failures at start', () => {
  it('a refused port stops the process with one line naming the cause, not the first failed query', async () => {
    const port = await freePort();
    const result = await runTsx('src/main.ts', [], {
      DATABASE_URL: `postgres://hub:secret-pw@127.0.0.1:${port}/hub`,
      DEV_KEYS_DIR: keysDir,
    });
    expect(result.code).toBe(1);
    expect(nonEmptyLines(result.stderr)).toEqual([
      `Early Help Hub failed to start: cannot use the database hub@127.0.0.1:${port}/hub: connection refused on 127.0.0.1:${port} (is PostgreSQL running and listening on that port?)`,
    ]);
  });
});

describe('--help', () => {
  it.each([
    [
      'src/auth/token.cli.ts',
      /^usage: npm run -s token -- [\s\S]*--persona <subject> {2}a demo persona: demo-school-dsl/,
    ],
    ['seeds/seed.cli.ts', /^usage: npm run seed -- [\s\S]*--children N/],
    ['bench/run.ts', /^usage: BENCH_DATABASE_URL=[\s\S]*--rounds N/],
  ])('%s --help prints its usage on stdout and exits 0, touching nothing', async (script, usage) => {
    const result = await runTsx(script, ['--help'], {
      DEV_KEYS_DIR: join(keysDir, 'never-created'),
      PGLITE_DATA_DIR: join(keysDir, 'never-created'),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(usage);
    expect(existsSync(join(keysDir, 'never-created'))).toBe(false);
  });

  it('an unknown option is one line and the usage on stderr, exit 2', async () => {
    const result = await runTsx('seeds/seed.cli.ts', ['--childs', '5'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^seed: Unknown option '--childs'[^\n]*\nusage: npm run seed/);
  });
});

describe('npm run -s token', () => {
  it('prints only a JWT, signed with the key in DEV_KEYS_DIR, for the demo persona asked for', async () => {
    const result = await runTsx(
      'src/auth/token.cli.ts',
      ['--persona', 'demo-screener', '--client', 'cli-test', '--expires', '1h'],
      { DEV_KEYS_DIR: keysDir },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const issuer = await loadDevIssuer(keysDir, 'urn:early-help-hub:dev');
    const verify = createTokenVerifier({ registry: trustRegistry([issuer.trusted]), audience: 'early-help-hub' });
    await expect(verify(result.stdout.trim())).resolves.toEqual({
      subject: 'demo-screener',
      organisationId: SCREENER.organisationId,
      role: 'eh_das_screener',
      clientId: 'cli-test',
      issuer: 'urn:early-help-hub:dev',
    });
  });

  it.each<[string[], Record<string, string>, number, RegExp]>([
    [['--role', 'wizard', '--org', SCREENER.organisationId], {}, 2, /^token: unknown role "wizard"; one of: /],
    [['--role', 'dpo'], {}, 2, /^token: --org is required/],
    [
      ['--role', 'dpo', '--org', SCREENER.organisationId],
      { NODE_ENV: 'production' },
      1,
      /^token: refused in production/,
    ],
  ])('refuses %j with one line on stderr and nothing on stdout', async (args, env, code, message) => {
    const result = await runTsx('src/auth/token.cli.ts', args, { DEV_KEYS_DIR: keysDir, ...env });
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    const lines = nonEmptyLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

describe('the hub process (npm start)', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({
      PGLITE_DATA_DIR: 'memory://',
      DEV_KEYS_DIR: keysDir,
      SHUTDOWN_GRACE_MS: '20000',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'pretty',
    });
  }, 120_000);
  afterAll(() => hub?.kill());

  const gql = async (token: string | null, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${hub.base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-purpose-of-use': 'direct_support',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
  };

  it('answers the probes and the landing page without a token', async () => {
    expect((await fetch(`${hub.base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${hub.base}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });
    expect(await (await fetch(`${hub.base}/`)).text()).toContain('Early Help Hub');
  });

  it('lets a token from npm run -s token read a demo child by NHS number, and refuses the same query without one', async () => {
    const minted = await runTsx('src/auth/token.cli.ts', ['--persona', DSL.subject], { DEV_KEYS_DIR: keysDir });
    const token = minted.stdout.trim();
    const list = await gql(token, '{ children(first: 1) { nodes { id nhsNumber } } }');
    const nhsNumber = list.data.children.nodes[0].nhsNumber as string;
    const query = 'query ($nhs: String) { child(nhsNumber: $nhs) { id nhsNumber } }';
    const withToken = await gql(token, query, { nhs: nhsNumber });
    expect(withToken.errors).toBeUndefined();
    expect(withToken.data.child).toEqual(list.data.children.nodes[0]);
    const without = await gql(null, query, { nhs: nhsNumber });
    expect(without.status).toBe(401);
    expect(without.errors![0].extensions.code).toBe('UNAUTHENTICATED');
  });

  /**
   * The tokens are printed once the log lines queued before them are written, which on a loaded
   * machine can come a while after the hub answers its probes.
   */
  const printedTokens = async (): Promise<string> => {
    const deadline = Date.now() + 20_000;
    while (!hub.stdout().includes('\nTry: curl') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return hub.stdout();
  };

  it('logs in the pretty development format, and prints the tokens in one block, no log line between them', async () => {
    const out = await printedTokens();
    expect(out).toMatch(/INFO.*Early Help Hub listening/);
    expect(out).not.toMatch(/^\{"level"/m);
    const block = out.slice(out.indexOf('Development tokens (8h):'), out.indexOf('\nTry: curl'));
    expect(
      block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(l)),
    ).toEqual(['Development tokens (8h):']);
    expect(block.match(/^# /gm)).toHaveLength(DEMO_PERSONAS.length);
  });

  it('prints working development tokens at start', async () => {
    const printed = (await printedTokens()).match(/# EH DAS screener \(role eh_das_screener\)\n(\S+)/);
    expect(printed).not.toBeNull();
    const me = await gql(printed![1]!, '{ me { subject role organisationId } }');
    expect(me.data.me).toEqual({
      subject: 'demo-screener',
      role: 'eh_das_screener',
      organisationId: SCREENER.organisationId,
    });
  });

  // Last: it stops the process.
  it('on SIGTERM finishes a request still arriving, then exits 0', async () => {
    const token = (
      await runTsx('src/auth/token.cli.ts', ['--persona', SCREENER.subject], { DEV_KEYS_DIR: keysDir })
    ).stdout.trim();
    const body = JSON.stringify({ query: '{ me { subject role } }' });
    const { port } = new URL(hub.base);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let raw = '';
    socket.setEncoding('utf8').on('data', (d: string) => {
      raw += d;
    });
    const ended = new Promise<void>((resolve) => socket.once('end', resolve).once('close', () => resolve()));

    // Headers and half the body: the request is in flight when SIGTERM arrives.
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nAuthorization: Bearer ${token}\r\nx-purpose-of-use: direct_support\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 200));
    hub.child.kill('SIGTERM');

    // Draining has begun once new connections are refused (a fresh TCP connection: fetch would
    // reuse a pooled keep-alive socket, which the drain still answers once).
    const refusesConnections = () =>
      new Promise<boolean>((resolve) => {
        const probe = connect(Number(port), '127.0.0.1');
        probe
          .once('connect', () => {
            probe.destroy();
            resolve(false);
          })
          .once('error', () => resolve(true));
      });
    const drainDeadline = Date.now() + 15_000;
    while (Date.now() < drainDeadline && !(await refusesConnections())) await new Promise((r) => setTimeout(r, 100));
    expect(await refusesConnections()).toBe(true);
    expect(hub.child.exitCode).toBeNull();

    socket.write(body.slice(10));
    await ended;
    const [head, ...rest] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    const payload = /transfer-encoding: chunked/i.test(head!) ? dechunk(rest.join('\r\n\r\n')) : rest.join('\r\n\r\n');
    expect(JSON.parse(payload).data).toEqual({ me: { subject: 'demo-screener', role: 'eh_das_screener' } });
    await expect(hub.exited).resolves.toEqual({ code: 0, signal: null });
  }, 60_000);
});

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
