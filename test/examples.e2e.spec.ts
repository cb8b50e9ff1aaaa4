/**
 * The runnable examples (examples/*.ts), each as a child process — exactly as a partner runs
 * `npm run example:…` — against a hub with the demo city started here on a random port.
 * Each must exit 0 and print what its front door is for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS, seedDemoCity } from '../seeds/demo-city';
import { startTestHub, type TestHub } from './support/hub';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `examples/<name>.ts` with tsx; `done` resolves when it exits. */
function start(
  name: string,
  env: Record<string, string>,
  args: string[] = [],
): { child: ChildProcess; output: () => string; done: Promise<Finished> } {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, output: () => stdout, done };
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms),
    ),
  ]);

describe('runnable examples against the demo city', () => {
  let t: TestHub;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestHub();
    await seedDemoCity(t.database.db);
    for (const p of DEMO_PERSONAS)
      tokens[p.subject] = await t.token({ role: p.role, org: p.organisationId, sub: p.subject });
  });
  afterAll(async () => {
    await t?.close();
  });

  const env = (persona: string, extra: Record<string, string> = {}) => ({
    HUB_URL: t.url,
    HUB_TOKEN: tokens[persona]!,
    ...extra,
  });

  it('school: reads a pupil’s open EHA by UPN', async () => {
    const run = await withTimeout(start('school', env('demo-school-dsl')).done, 30_000, 'example:school');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^school MIS: pupil [A-Z]\d{11}[0-9A-Z] \(hub id [0-9a-f-]{36}\)$/m);
    expect(run.stdout).toMatch(/open EHA [0-9a-f-]{36}: status \w+, cluster central, next review/);
    expect(run.stdout).toMatch(/plan actions owned by the school: \d+/);
  });

  it('school: an unknown UPN fails with the typed NO_RELATIONSHIP error and a non-zero exit', async () => {
    const run = await withTimeout(
      start('school', env('demo-school-dsl'), ['B801200005001']).done,
      30_000,
      'example:school',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^example:school: NO_RELATIONSHIP: .*\(request [\w.-]+\)/);
  });

  it('health: a Universal Plus update, retried under the same record id, gives the same result', async () => {
    const run = await withTimeout(
      start('health', env('svc-health-system', { HEALTH_RECORD_ID: 'example-e2e-1' })).done,
      30_000,
      'example:health',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const receipts = [...run.stdout.matchAll(/(first post|retry):\s+RECEIVED, receipt ([0-9a-f-]{36})/g)];
    expect(receipts).toHaveLength(2);
    expect(receipts[0]![2]).toBe(receipts[1]![2]);
    expect(run.stdout).toContain('retry gave the same result');
    // NHS numbers are masked (a receipt id, random hex, can hold ten digits in a row itself).
    expect(run.stdout.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '')).not.toMatch(
      /\d{10}/,
    );
  });

  it('dashboard: prints live case changes, then exits after N', async () => {
    const dashboard = start('dashboard', env('demo-health-visitor', { DASHBOARD_TIMEOUT_MS: '25000' }), ['2']);
    // The trust posts updates until the dashboard has seen two (its subscription starts a moment
    // after it says it is listening; posts before that are not delivered, by design).
    const deadline = Date.now() + 25_000;
    while (!dashboard.output().includes('listening') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const { children } = await t
      .client(tokens['svc-health-system']!)
      .request<{ children: { nodes: { nhsNumber: string | null; nhsNumberTraced: boolean | null }[] } }>(
        '{ children(first: 50) { nodes { nhsNumber nhsNumberTraced } } }',
      );
    const nhsNumber = children.nodes.find((c) => c.nhsNumber && c.nhsNumberTraced)!.nhsNumber!;
    let n = 0;
    let exited = false;
    void dashboard.done.then(() => {
      exited = true;
    });
    while (!exited && Date.now() < deadline) {
      const res = await t.post(
        tokens['svc-health-system']!,
        `mutation($input: PostHealthUpdateInput!) { postHealthUpdate(input: $input) { status } }`,
        {
          input: {
            recordId: `dashboard-e2e-${++n}`,
            nhsNumber,
            level: n % 2 ? 'UNIVERSAL_PLUS' : 'UNIVERSAL',
            effectiveDate: '2026-01-01',
            contactType: 'contact',
            summary: 'Dashboard test',
          },
        },
        'direct_support',
      );
      expect(res.data?.postHealthUpdate.status).toBe('RECEIVED');
      await new Promise((r) => setTimeout(r, 250));
    }
    const run = await withTimeout(dashboard.done, 5_000, 'example:dashboard');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => /^ {2}#\d+ /.test(l));
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(/child [0-9a-f-]{36}: health_level_changed \[health\] fields healthHistory/);
    expect(run.stdout).toContain('dashboard: 2 change(s) received');
    // Restarted after the first change it printed, the dashboard replays the second without waiting for a new one.
    const [firstId, secondId] = lines.map((l) => /#(\d+) /.exec(l)![1]!);
    expect(run.stdout).toContain(`AFTER=${secondId}`);
    const resumed = await withTimeout(
      start('dashboard', env('demo-health-visitor', { DASHBOARD_TIMEOUT_MS: '15000', AFTER: firstId! }), ['1']).done,
      20_000,
      'example:dashboard AFTER',
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stdout.split('\n').find((l) => /^ {2}#\d+ /.test(l))).toMatch(new RegExp(`^ {2}#${secondId} `));
  });

  it('dpo: pulls the access log (with basis and redactions) and a subject-access report, and checks the chain', async () => {
    // A read for the log to show, made here so the test does not depend on the school test running first.
    const read = await withTimeout(start('school', env('demo-school-dsl')).done, 30_000, 'example:school');
    expect(read.code).toBe(0);
    const run = await withTimeout(
      start(
        'dpo',
        env('demo-dpo', {
          ORGANISATION_ID: DEMO_PERSONAS.find((p) => p.subject === 'demo-school-dsl')!.organisationId,
        }),
      ).done,
      30_000,
      'example:dpo',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The school example read a pupil as the school's DSL.
    const count = Number(/access log for organisation [0-9a-f-]{36}, last 24 h: (\d+) entr/.exec(run.stdout)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(run.stdout).toMatch(
      /school_dsl demo-school-dsl query PupilOpenEha purpose direct_support child [0-9a-f-]{36} basis \S*early_help:/,
    );
    expect(run.stdout).toMatch(
      /subject-access report for child [0-9a-f-]{36}: records \(children 1.*\); access history [1-9]\d* entries/,
    );
    expect(run.stdout).toMatch(/audit chain intact \([1-9]\d* rows checked\)/);
  });

  // The journeys act as several people of the demo city: every persona's token in HUB_TOKENS.
  const journey = async (name: string, args: string[] = []) => {
    const run = await withTimeout(
      start(name, { HUB_URL: t.url, HUB_TOKENS: JSON.stringify(tokens) }, args).done,
      60_000,
      `example:${name}`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return run.stdout;
  };

  it('referral: a referral accepted with three needs, TAF, plan, review, closed with signposting', async () => {
    const out = await journey('referral');
    expect(out).toMatch(/the school referred a child \(referral [0-9a-f-]{36}\), three needs, written consent/);
    expect(out).toMatch(
      /accepted at level early_help: EHA [0-9a-f-]{36}, allocated to the central Family Support Manager/,
    );
    expect(out).toMatch(/first TAF held \d{4}-\d\d-\d\d, chaired by the Family Support Manager/);
    expect(out).toMatch(
      /action plan agreed: 2 actions, 2 protective factors, status plan_in_place, review due \d{4}-\d\d-\d\d/,
    );
    expect(out).toMatch(/reviewed by the lead practitioner: level of need now universal/);
    expect(out).toContain(
      'closed: closed, outcome needs_met; the family is signposted to universal services and its feedback recorded',
    );
  });

  it('step-down: stepped up, social care leads, stepped down to a new EHA whose first TAF is within 3 weeks', async () => {
    const out = await journey('step-down');
    expect(out).toMatch(/stepped up to Duty and Advice: the EHA stays open \(stepped_up_awaiting_outcome\)/);
    expect(out).toMatch(/Single Assessment: social care leads; the EHA is closed \(stepped_up_to_social_care\)/);
    expect(out).toMatch(
      /stepped down after a cin_meeting EH DAS attended, on written consent, to early_help_assessment: new EHA [0-9a-f-]{36} \(origin step_down\), first TAF due by \d{4}-\d\d-\d\d/,
    );
    expect(out).toMatch(/after step down: first TAF on \d{4}-\d\d-\d\d within 3 weeks, the social worker attending/);
  });

  it('masp: needs not met, referred to MASP, the chair records the outcome', async () => {
    const out = await journey('masp');
    expect(out).toContain('needs not met: referred to MASP (status at_masp)');
    expect(out).toMatch(/MASP outcome resources_agreed: the EHA is \w+/);
  });

  it('encompass: a pupil, a home-educated child and a toddler, each read and acknowledged by their recipients', async () => {
    const out = await journey('encompass');
    expect(out).toMatch(/police notified: RECEIVED/);
    expect(out).toMatch(
      /school DSL \(pupil\): read notification [0-9a-f-]{36} \(route school_dsl, .*acknowledged on time/,
    );
    expect(out).toMatch(
      /council Early Help team \(home-educated child\): read notification .*route early_help_team.*acknowledged on time/,
    );
    expect(out).toMatch(/health visitor \(toddler\): read notification .*route health_visitor.*acknowledged on time/);
    expect(out).toMatch(/council Early Help team \(toddler\): read notification .*route early_help_team/);
    // NHS numbers are masked (a UPN and an id can hold ten digits in a row themselves).
    expect(
      out.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|UPN [A-Z]\d{11}[0-9A-Z]/g, ''),
    ).not.toMatch(/\d{10}/);
  });
});
