/**
 * Every fenced block of README.md is preceded by a marker saying what it is: `<!-- snippet: run -->`
 * (a shell, JavaScript or TypeScript snippet, or a GraphQL operation with `persona=<subject>`) or
 * `<!-- snippet: show (why) -->` (output, diagrams, commands that start the hub or the suite). The
 * runnable ones are run here as pasted against a real hub process with the demo city (`tsx
 * src/main.ts`), given only HUB_URL, TOKEN (for the persona) and the hub's DEV_KEYS_DIR, and must
 * exit 0 without errors. So the README's examples cannot rot.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevIssuer, type DevIssuer } from '../src/auth/dev-issuer';
import { DEMO_PERSONAS } from '../seeds/demo-city';
import { cleanEnv, ROOT, startHubProcess, type HubProcess } from './support/process';

interface Snippet {
  line: number;
  lang: string;
  code: string;
  marker: string;
}

function snippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j]!)) j++;
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    found.push({ line: i + 1, lang: open[1]!, code: lines.slice(i + 1, j).join('\n'), marker: lines[k] ?? '' });
    i = j;
  }
  return found;
}

const all = snippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const runnable = all.filter((s) => /^<!-- snippet: run\b/.test(s.marker));
const personaOf = (s: Snippet) => /persona=([\w-]+)/.exec(s.marker)?.[1];

async function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number) {
  const child = spawn(command, args, { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('README snippets', () => {
  it('every fenced block says whether it runs (and the runnable ones are code)', () => {
    for (const s of all)
      expect(s.marker, `README.md:${s.line}`).toMatch(/^<!-- snippet: (run( persona=[\w-]+)?|show \([^)]+\)) -->$/);
    for (const s of runnable) expect(['sh', 'js', 'ts', 'graphql'], `README.md:${s.line}`).toContain(s.lang);
    expect(runnable.length).toBeGreaterThanOrEqual(6);
  });

  describe('run against the demo city', () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'ehh-readme-keys-'));
    let hub: HubProcess;
    let issuer: DevIssuer;
    const token = (subject: string) => {
      const p = DEMO_PERSONAS.find((x) => x.subject === subject)!;
      return issuer.sign({ role: p.role, org: p.organisationId, sub: p.subject, audience: 'early-help-hub' });
    };
    beforeAll(async () => {
      hub = await startHubProcess(
        { PGLITE_DATA_DIR: 'memory://', DEV_KEYS_DIR: keysDir, OUTBOX_WORKER: 'false' },
        120_000,
      );
      issuer = await loadDevIssuer(keysDir, 'urn:early-help-hub:dev');
    }, 150_000);
    afterAll(() => hub?.kill());

    /** Case changes for the health visitor's caseload, until `until` resolves (the subscription snippet waits for one). */
    async function healthUpdatesUntil(until: Promise<unknown>) {
      let done = false;
      void until.then(() => {
        done = true;
      });
      const system = await token('svc-health-system');
      const post = (query: string, variables = {}) =>
        fetch(`${hub.base}/graphql`, {
          method: 'POST',
          body: JSON.stringify({ query, variables }),
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${system}`,
            'x-purpose-of-use': 'direct_support',
          },
        }).then((r) => r.json() as Promise<any>);
      const list = await post('{ children(first: 50) { nodes { nhsNumber nhsNumberTraced } } }');
      const nhsNumber = list.data.children.nodes.find((c: any) => c.nhsNumber && c.nhsNumberTraced).nhsNumber;
      for (let n = 1; !done && n < 100; n++) {
        await post('mutation($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { status } }', {
          input: {
            recordId: `readme-${n}`,
            nhsNumber,
            level: n % 2 ? 'UNIVERSAL_PLUS' : 'UNIVERSAL',
            effectiveDate: '2026-01-01',
            contactType: 'contact',
            summary: 'README snippet test',
          },
        });
        await new Promise((r) => setTimeout(r, 300));
      }
    }

    it.each(runnable.map((s) => [`README.md:${s.line} (${s.lang})`, s] as const))(
      '%s',
      async (_name, s) => {
        const persona = personaOf(s);
        const env: Record<string, string> = {
          HUB_URL: `${hub.base}/graphql`,
          DEV_KEYS_DIR: keysDir,
          ...(persona ? { TOKEN: await token(persona) } : {}),
        };
        if (s.lang === 'graphql') {
          const res = await fetch(env.HUB_URL!, {
            method: 'POST',
            body: JSON.stringify({ query: s.code }),
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${env.TOKEN}`,
              'x-purpose-of-use': 'direct_support',
            },
          });
          const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
          expect(body.errors).toBeUndefined();
          expect(body.data).toBeTruthy();
          return;
        }
        if (s.lang === 'sh') {
          const result = await run('bash', ['-euo', 'pipefail', '-c', s.code], env, 60_000);
          expect(result.stderr).toBe('');
          expect(result.code).toBe(0);
          expect(result.stdout).not.toMatch(/"errors"/);
          return;
        }
        // js / ts: a module in the repository root, so `./src/client` and the packages resolve as pasted.
        const file = join(ROOT, `.readme-snippet-${s.line}.${s.lang === 'ts' ? 'mts' : 'mjs'}`);
        writeFileSync(file, s.code);
        try {
          const running = run(process.execPath, ['--import', 'tsx', file], env, 40_000);
          if (/caseChanged/.test(s.code)) await healthUpdatesUntil(running);
          const result = await running;
          expect(result.stderr).toBe('');
          expect(result.code).toBe(0);
          expect(result.stdout.trim()).not.toBe('');
        } finally {
          rmSync(file, { force: true });
        }
      },
      60_000,
    );
  });
});
