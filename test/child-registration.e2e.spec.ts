/**
 * One record per child: registerChild over HTTP matches on NHS number (one the hub traced, with
 * the details agreeing; a caller's nhsNumberTraced is ignored),
 * then UPN, then name + date of birth + postcode; a probable match creates nothing until a
 * practitioner confirms; invalid input is refused naming the field, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, children } from '../schema';
import { fixedClock } from '../src/shared/clock';
import { syntheticNhsNumber, syntheticUpn } from '../seeds/synthetic';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const TODAY = '2026-11-26';
const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) { outcome childId matchedOn candidates { childId matchedOn } }
}`;

describe('registerChild over HTTP', () => {
  let t: TestHub;
  let f: Fixture;
  let screener: string;
  let serial = 0;
  const counts = async () => ({
    children: await t.database.db.$count(children),
    events: await t.database.db.$count(caseEvents),
  });
  /** A new child's identifiers, unique within the file. */
  const fresh = () => {
    const n = 700_000 + ++serial;
    return { nhsNumber: syntheticNhsNumber(n), upn: syntheticUpn(3000 + serial, 16, serial) };
  };
  const base = {
    givenName: 'Tove',
    familyName: 'Larkmoor',
    dateOfBirth: '2016-03-14',
    postcode: 'LE2 7QR',
    gender: 'female',
  };
  const register = async (input: Record<string, unknown>) => {
    const res = await t.post(screener, REGISTER, { input });
    return res;
  };

  beforeAll(async () => {
    t = await startTestHub({ clock: fixedClock(`${TODAY}T12:00:00Z`) });
    f = fixture(t.database.db);
    const council = await f.org('council', 'council_early_help');
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-1' });
  });
  afterAll(() => t.close());

  it('creates a new child, stores the normalised identifiers and records a case event', async () => {
    const ids = fresh();
    const before = await counts();
    const res = await register({
      ...base,
      givenName: 'Amari',
      nhsNumber: `${ids.nhsNumber.slice(0, 3)} ${ids.nhsNumber.slice(3, 6)} ${ids.nhsNumber.slice(6)}`,
      nhsNumberTraced: true,
      upn: ids.upn.toLowerCase(),
      postcode: 'le27qr',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.registerChild).toMatchObject({ outcome: 'CREATED', matchedOn: null, candidates: [] });
    const [row] = await t.database.db
      .select()
      .from(children)
      .where((await import('drizzle-orm')).eq(children.id, res.data.registerChild.childId));
    // A caller cannot say the number is traced: it is kept as a lead until EH DAS traces it.
    expect(row).toMatchObject({
      nhsNumber: ids.nhsNumber,
      nhsNumberTraced: false,
      nhsNumberTracedAt: null,
      upn: ids.upn,
      postcode: 'LE2 7QR',
      mergedInto: null,
    });
    expect(await counts()).toEqual({ children: before.children + 1, events: before.events + 1 });
  });

  it('returns the existing record when the NHS number is one the hub traced and the details agree, creating nothing', async () => {
    const { givenName, familyName, dateOfBirth, postcode } = base;
    const existing = await f.child({ givenName, familyName, dateOfBirth, postcode, nhsNumberTraced: true });
    const before = await counts();
    const res = await register({ ...base, nhsNumber: existing.nhsNumber });
    expect(res.data.registerChild).toEqual({
      outcome: 'MATCHED',
      childId: existing.id,
      matchedOn: 'NHS_NUMBER',
      candidates: [],
    });
    expect((await counts()).children).toBe(before.children);
  });

  it.each([
    ['the details differ from the traced record', { stored: true }],
    ['the stored number is untraced', { stored: false }],
  ])('only offers a probable match on the NHS number when %s, creating nothing', async (_name, traced) => {
    const existing = await f.child({ nhsNumberTraced: traced.stored });
    const before = await counts();
    const res = await register({ ...base, nhsNumber: existing.nhsNumber });
    expect(res.data.registerChild).toEqual({
      outcome: 'PROBABLE_MATCH',
      childId: null,
      matchedOn: null,
      candidates: [{ childId: existing.id, matchedOn: 'NHS_NUMBER' }],
    });
    expect(await counts()).toEqual(before);
  });

  it('matches on UPN when there is no NHS number', async () => {
    const existing = await f.child({ nhsNumber: null });
    const before = await counts();
    const res = await register({ ...base, upn: existing.upn });
    expect(res.data.registerChild).toEqual({
      outcome: 'MATCHED',
      childId: existing.id,
      matchedOn: 'UPN',
      candidates: [],
    });
    expect((await counts()).children).toBe(before.children);
  });

  describe('a probable match on name, date of birth and postcode', () => {
    let existing: { id: string };
    const person = { givenName: 'Zeno', familyName: "O'Hartwell", dateOfBirth: '2019-06-30', postcode: 'LE4 9XY' };
    beforeAll(async () => {
      existing = await f.child({ ...person, nhsNumber: null, upn: null });
    });

    it('offers candidates (ignoring case, spacing and punctuation) and creates nothing', async () => {
      const before = await counts();
      const res = await register({
        givenName: ' zeno ',
        familyName: 'OHARTWELL',
        dateOfBirth: person.dateOfBirth,
        postcode: 'le49xy',
      });
      expect(res.data.registerChild).toEqual({
        outcome: 'PROBABLE_MATCH',
        childId: null,
        matchedOn: null,
        candidates: [{ childId: existing.id, matchedOn: 'NAME_DATE_POSTCODE' }],
      });
      expect(await counts()).toEqual(before);
    });

    it('returns the confirmed record when the practitioner confirms the candidate', async () => {
      const before = await counts();
      const res = await register({ ...person, confirmMatchId: existing.id });
      expect(res.data.registerChild).toMatchObject({
        outcome: 'MATCHED',
        childId: existing.id,
        matchedOn: 'NAME_DATE_POSTCODE',
      });
      expect(await counts()).toEqual(before);
    });

    it('creates a new record when the practitioner says none of the candidates is this child', async () => {
      const before = await counts();
      const res = await register({ ...person, confirmNoMatch: true });
      expect(res.data.registerChild.outcome).toBe('CREATED');
      expect(res.data.registerChild.childId).not.toBe(existing.id);
      expect((await counts()).children).toBe(before.children + 1);
    });

    it('sends a mistyped date of birth and a nearby postcode to EH DAS review rather than match or create', async () => {
      const before = await counts();
      const res = await register({ ...person, dateOfBirth: '2019-06-29', postcode: 'LE4 9XZ' });
      expect(res.data.registerChild).toMatchObject({ outcome: 'HELD_FOR_REVIEW', childId: null, candidates: [] });
      expect((await counts()).children).toBe(before.children);
    });

    it('does not match a different date of birth and address', async () => {
      const res = await register({ ...person, dateOfBirth: '2012-01-17', postcode: 'NG7 2RD' });
      expect(res.data.registerChild.outcome).toBe('CREATED');
    });
  });

  it('refuses to confirm a candidate that carries a different NHS number', async () => {
    const existing = await f.child();
    const res = await register({ ...base, nhsNumber: fresh().nhsNumber, confirmMatchId: existing.id });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'confirmMatchId' });
  });

  describe('ages: unborn by expected date, to 18, to 25 with SEND', () => {
    it.each([
      ['17, the day before their 18th birthday', { dateOfBirth: '2008-11-27' }],
      ['18 with SEND', { dateOfBirth: '2008-11-26', hasSend: true }],
      ['24 with SEND, the day before their 25th birthday', { dateOfBirth: '2001-11-27', hasSend: true }],
      ['born today', { dateOfBirth: TODAY }],
      ['unborn, due in 4 months', { expectedDate: '2027-03-26' }],
      ['unborn, due today', { expectedDate: TODAY }],
    ])('accepts a child %s', async (_name, dates) => {
      // Letters only: the match key ignores digits, and these must not match one another.
      const familyName = `Edge${String.fromCharCode(97 + (++serial % 26))}${String.fromCharCode(97 + (Math.floor(serial / 26) % 26))}`;
      const res = await register({ givenName: 'Pia', familyName, postcode: 'LE1 1AA', ...dates });
      expect(res.errors).toBeUndefined();
      expect(res.data.registerChild.outcome).toBe('CREATED');
    });
  });

  describe('invalid input: BAD_USER_INPUT naming the field, and nothing stored', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['an NHS number failing its check digit', { nhsNumber: '9434765918' }, 'nhsNumber'],
      ['an NHS number of 9 digits', { nhsNumber: '943476591' }, 'nhsNumber'],
      ['an NHS number whose check would be 10', { nhsNumber: '1234567890' }, 'nhsNumber'],
      ['a UPN failing its check letter', { upn: 'A801200005001' }, 'upn'],
      ['a UPN of the wrong shape', { upn: 'B80120000500' }, 'upn'],
      ['a postcode that is not one', { postcode: 'NOT A POSTCODE' }, 'postcode'],
      ['a date of birth that is not a calendar date', { dateOfBirth: '2020-02-30' }, 'dateOfBirth'],
      ['a date of birth in another format', { dateOfBirth: '14/03/2016' }, 'dateOfBirth'],
      ['a date of birth in the future', { dateOfBirth: '2026-11-27' }, 'dateOfBirth'],
      ['an 18 year old without SEND', { dateOfBirth: '2008-11-26' }, 'dateOfBirth'],
      ['a 25 year old with SEND', { dateOfBirth: '2001-11-26', hasSend: true }, 'dateOfBirth'],
      ['neither a date of birth nor an expected date', { dateOfBirth: null }, 'dateOfBirth'],
      ['both a date of birth and an expected date', { expectedDate: '2027-01-10' }, 'expectedDate'],
      [
        'an unborn baby with an expected date in the past',
        { dateOfBirth: null, expectedDate: '2026-11-25' },
        'expectedDate',
      ],
      [
        'an unborn baby due more than 10 months ahead',
        { dateOfBirth: null, expectedDate: '2027-09-27' },
        'expectedDate',
      ],
      ['a blank given name', { givenName: '   ' }, 'givenName'],
      ['an over-long family name', { familyName: 'x'.repeat(101) }, 'familyName'],
    ])('refuses %s', async (_name, change, field) => {
      const before = await counts();
      const res = await register({ ...base, ...fresh(), nhsNumberTraced: true, ...change });
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.data?.registerChild ?? null).toBeNull();
      expect(await counts()).toEqual(before);
    });

    it('names no personal data in the error', async () => {
      const res = await register({ ...base, nhsNumber: '9434765918' });
      const text = JSON.stringify(res.errors);
      for (const value of ['9434765918', base.givenName, base.familyName, base.dateOfBirth, base.postcode])
        expect(text).not.toContain(value);
    });
  });

  it('refuses a role that may not register children with FORBIDDEN, storing nothing', async () => {
    const school = await f.org('school', 'school');
    const staff = await t.token({ role: 'school_staff', org: school });
    const before = await counts();
    const res = await t.post(staff, REGISTER, { input: { ...base, ...fresh() } });
    expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });
});
