/**
 * `kill -9` in the middle of a burst of writes (PostgreSQL; PGlite lives in the killed process):
 * every change that committed has its audit row, because both commit in one transaction. (With
 * the audit written after the change's commit, this test finds children with no audit row.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDevIssuer } from '../src/auth/dev-issuer';
import { rowsOf } from '../src/db';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { createTestDatabase, type TestDatabase } from './support/database';
import { fixture } from './support/fixtures';
import { cleanEnv, freePort, ROOT } from './support/process';

const REGISTER = 'mutation ($input: RegisterChildInput!) { registerChild(input: $input) { childId } }';

describe.skipIf(!process.env.TEST_DATABASE_URL)('a hub killed mid-burst (PostgreSQL)', () => {
  let database: TestDatabase | undefined;
  let hub: ChildProcess | undefined;
  afterAll(async () => {
    hub?.kill('SIGKILL');
    await database?.destroy();
  });

  /** `node --import tsx src/main.ts`: one process (the tsx launcher would leave its child running after SIGKILL). */
  const startHub = async (env: Record<string, string>) => {
    const port = await freePort();
    hub = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: cleanEnv({ HOST: '127.0.0.1', PORT: String(port), ...env }),
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    for (let tries = 0; tries < 600; tries++) {
      if ((await fetch(`${base}/readyz`).catch(() => null))?.status === 200) return base;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('hub did not become ready');
  };

  it('leaves no committed change without its audit row', async () => {
    database = await createTestDatabase();
    const council = await fixture(database.db).org('council', 'council_early_help');
    // A slow audit insert widens the moment between a change and its audit that a crash can hit.
    await database.db.execute(
      sql`create function slow_audit() returns trigger language plpgsql as $$ begin perform pg_sleep(0.1); return null; end $$`,
    );
    await database.db.execute(
      sql`create trigger slow_audit before insert on access_audit for each statement execute function slow_audit()`,
    );
    const keysDir = mkdtempSync(join(tmpdir(), 'ehh-crash-'));
    const unlimited = '1000000';
    const base = await startHub({
      DATABASE_URL: database.url!,
      SEED_DEMO: 'false',
      DEV_KEYS_DIR: keysDir,
      RATE_LIMIT_CALLER_PER_MINUTE: unlimited,
      RATE_LIMIT_ORGANISATION_PER_MINUTE: unlimited,
      RATE_LIMIT_ADDRESS_PER_MINUTE: unlimited,
    });
    const issuer = await loadDevIssuer(keysDir, 'urn:early-help-hub:dev');
    const token = await issuer.sign({
      role: 'eh_das_screener',
      org: council,
      sub: 'screener-1',
      audience: 'early-help-hub',
    });
    let n = 0;
    let answered = 0;
    const register = async () => {
      for (;;) {
        const i = n++;
        // Distinct dates of birth: no two are a probable match for each other.
        const dateOfBirth = new Date(Date.UTC(2010, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
        const input = {
          givenName: `Crash${i}`,
          familyName: `Test${i}`,
          dateOfBirth,
          postcode: 'LE3 9QQ',
          nhsNumber: syntheticNhsNumber(900_000 + i),
          // Near-identical synthetic names would be held for EH DAS review (a caller's number is only
          // a lead): the practitioner's "none of them" makes each one a plain create.
          confirmNoMatch: true,
        };
        const created = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-purpose-of-use': 'direct_support',
          },
          body: JSON.stringify({ query: REGISTER, variables: { input } }),
        }).then(
          async (r) =>
            Boolean(
              ((await r.json()) as { data?: { registerChild?: { childId?: string } } }).data?.registerChild?.childId,
            ),
          () => false,
        );
        if (!created) return;
        answered++;
      }
    };
    const writers = Array.from({ length: 16 }, register);
    while (answered < 40) await new Promise((r) => setTimeout(r, 20));
    const exited = once(hub!, 'exit');
    hub!.kill('SIGKILL');
    await exited;
    await Promise.all(writers);

    const [counts] = rowsOf<{ children: number; events: number; unaudited: number }>(
      await database.db.execute(sql`
      select (select count(*)::int from children) as children,
        (select count(*)::int from case_events where kind = 'child_registered') as events,
        (select count(*)::int from children c where not exists (
          select 1 from access_audit a where a.child_id = c.id and a.changes @> '[{"action": "registerChild:created"}]'::jsonb)) as unaudited`),
    );
    // Requests were in flight when it died: more committed than were answered, and each audited.
    expect(counts!.children).toBeGreaterThanOrEqual(answered);
    expect(counts!.events).toBe(counts!.children);
    expect(counts!.unaudited).toBe(0);
  }, 120_000);
});
