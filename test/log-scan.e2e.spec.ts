/**
 * No personal data in logs: a representative flow — registrations, lookups by NHS number and
 * UPN, refusals, BAD_USER_INPUT with identifiers and names in the input, an unexpected database
 * error and a context failure — through a hub whose JSON logs are captured; then every seeded
 * given name, family name, NHS number, UPN, postcode and date of birth is searched for in them.
 * The same scan runs over the whole suite's logs (test/support/log-scan.global.ts).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { scanLogs } from './support/log-scan';
import { memoryLogger, type MemoryLogger } from './support/memory-logger';

const REGISTER = 'mutation Register($input: RegisterChildInput!) { registerChild(input: $input) { outcome childId } }';
const LOOKUP =
  'query Lookup($nhs: String, $upn: String) { child(nhsNumber: $nhs, upn: $upn) { id givenName familyName dateOfBirth nhsNumber upn postcode addressLine } }';

describe('logs hold no personal data', () => {
  let t: TestHub;
  let log: MemoryLogger;
  const seeded: string[] = [];

  beforeAll(async () => {
    log = memoryLogger();
    t = await startTestHub({ logger: log.logger });
  });
  afterAll(() => t.close());

  it('after a representative flow, no seeded name, identifier, postcode or date of birth is in the logs', async () => {
    const f = fixture(t.database.db);
    const council = await f.org('council', 'council_early_help');
    const school = await f.org('school', 'school');
    const pupil = await f.child({
      givenName: 'Marigold',
      familyName: 'Quenby',
      dateOfBirth: '2014-07-19',
      postcode: 'LE3 9QP',
    });
    await f.involve(pupil.id, school, 'on_roll');
    seeded.push('Marigold', 'Quenby', '2014-07-19', 'LE3 9QP', pupil.nhsNumber, pupil.upn, '1 Synthetic Row');

    const screener = await t.token({ role: 'eh_das_screener', org: council });
    const dsl = await t.token({ role: 'school_dsl', org: school });

    const registered = await t.post(screener, REGISTER, {
      input: {
        givenName: 'Tamsin',
        familyName: 'Oakridge',
        dateOfBirth: '2017-11-02',
        postcode: 'LE5 4RT',
        nhsNumber: '9434765919',
        addressLine: '7 Loggable Lane',
      },
    });
    expect(registered.errors).toBeUndefined();
    seeded.push('Tamsin', 'Oakridge', '2017-11-02', 'LE5 4RT', '9434765919', '7 Loggable Lane');
    // Same child again (matched), and a probable match.
    await t.post(screener, REGISTER, {
      input: { givenName: 'Tamsin', familyName: 'Oakridge', dateOfBirth: '2017-11-02', nhsNumber: '9434765919' },
    });
    await t.post(screener, REGISTER, {
      input: { givenName: 'Tamsin', familyName: 'Oakridge', dateOfBirth: '2017-11-02', postcode: 'LE5 4RT' },
    });

    expect((await t.post(dsl, LOOKUP, { nhs: pupil.nhsNumber })).data.child.givenName).toBe('Marigold');
    await t.post(dsl, LOOKUP, { upn: pupil.upn });
    // Refusals: no relationship, bad identifiers, bad dates, missing purpose, no token.
    await t.post(dsl, LOOKUP, { nhs: '9434765919' });
    const bad = await t.post(screener, REGISTER, {
      input: {
        givenName: 'Ottoline',
        familyName: 'Fairweather',
        dateOfBirth: '2016-02-30',
        nhsNumber: '9434765918',
        upn: 'B801200005002',
        postcode: 'LE7 1XZ',
      },
    });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    seeded.push('Ottoline', 'Fairweather', '2016-02-30', '9434765918', 'B801200005002', 'LE7 1XZ');
    await t.post(screener, REGISTER, {
      input: { givenName: 'Ottoline', familyName: 'Fairweather', dateOfBirth: 'yesterday-ish' },
    });
    await t.post(dsl, LOOKUP, { nhs: pupil.nhsNumber }, null);
    await t.post(null, LOOKUP, { nhs: pupil.nhsNumber });
    await t.post(dsl, '{ child(nhsNumber: 123) { id } }');

    // An unexpected database error quoting a value, and a context failure.
    const original = t.services.children.findForCaller;
    t.services.children.findForCaller = (async () => {
      await t.database.db.execute(sql`select ${pupil.upn}::int`);
    }) as never;
    const masked = await t.post(dsl, LOOKUP, { upn: pupil.upn });
    t.services.children.findForCaller = original;
    expect(masked.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    const find = t.services.organisations.find;
    t.services.organisations.find = (async () => {
      throw new Error(`lookup failed for ${pupil.nhsNumber} (Marigold Quenby)`);
    }) as never;
    await t.post(dsl, LOOKUP, { nhs: pupil.nhsNumber });
    t.services.organisations.find = find;

    expect(log.lines.length).toBeGreaterThan(10);
    expect(log.text()).toContain('unexpected error');
    expect(scanLogs(log.text(), seeded)).toEqual([]);
  });

  it('the scanner finds each kind of value it looks for (so the check above can fail)', () => {
    const planted = [
      '{"msg":"x","v":"Marigold"}',
      '{"v":"9434765919"}',
      '{"v":"B801200005001"}',
      '{"v":"LE3 9QP"}',
      '{"v":"2014-07-19"}',
      '{"v":"Given512345"}',
      '{"v":"Wren Ashdown"}',
    ];
    const hits = scanLogs(planted.join('\n'), ['Marigold']);
    expect(new Set(hits.map((h) => h.what))).toEqual(
      new Set(['seeded value', 'NHS number', 'UPN', 'postcode', 'date', 'fixture name', 'seed name']),
    );
    expect(
      scanLogs('{"time":1795691546722,"requestId":"6f1c1a52-3d5e-4b8e-9c1a-0f7e2d9b4a11","durationMs":12.5}'),
    ).toEqual([]);
    // A request id whose last group is ten digits passing modulus 11 is an id, not an NHS number.
    expect(scanLogs('{"requestId":"9b2fb08a-88fc-4fe4-a182-a9434765919c"}')).toEqual([]);
    expect(
      scanLogs('{"requestId":"9b2fb08a-88fc-4fe4-a182-a9434765919c","v":"9434765919"}').map((h) => h.what),
    ).toEqual(['NHS number']);
  });
});
