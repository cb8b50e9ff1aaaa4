/**
 * NHS number tracing over HTTP, through the PDS simulator over real HTTP: "traced" means the hub
 * traced it (EH DAS asks; the number is stored with who asked, when, PDS's score and the source),
 * never a caller's flag; a superseded number resolves to the current one; a record PDS holds as
 * restricted keeps the child's address from every partner; PDS absent or failing is
 * SERVICE_UNAVAILABLE and changes nothing.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpPdsAdapter } from '../adapters/pds/http-adapter';
import { startPdsSimulator, type PdsSimulator, type SimulatedPatient } from '../adapters/pds/simulator';
import { syntheticNhsNumber } from '../seeds/synthetic';
import { children } from '../schema';
import { fixedClock } from '../src/shared/clock';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const NOW = '2026-11-26T12:00:00.000Z';
const TRACE = `mutation ($childId: ID!, $nhsNumber: String) {
  traceNhsNumber(childId: $childId, nhsNumber: $nhsNumber) {
    childId outcome nhsNumber supersededNumber score source tracedAt tracedBy addressRestricted
  }
}`;
const READ = `query ($id: ID!) {
  child(id: $id) { nhsNumber nhsNumberTraced addressLine postcode nhsNumberTrace { score source tracedAt tracedBy } }
}`;

const patient = (n: number, over: Partial<SimulatedPatient> = {}): SimulatedPatient => ({
  nhsNumber: syntheticNhsNumber(n),
  givenNames: [`Given${n}`],
  familyName: `Tracewell${n}`,
  birthDate: '2015-06-15',
  addressLines: ['2 Synthetic Row'],
  postcode: 'LE1 1AA',
  ...over,
});
const plain = patient(130_001);
const current = patient(130_002, { supersededNumbers: [syntheticNhsNumber(130_003)] });
const restricted = patient(130_004, { restricted: true });
const twinA = patient(130_005, { familyName: 'Twinsley', givenNames: ['Ash'] });
const twinB = patient(130_006, { familyName: 'Twinsley', givenNames: ['Ash'] });

describe('traceNhsNumber through the PDS simulator', () => {
  let sim: PdsSimulator;
  let t: TestHub;
  let f: Fixture;
  let council: string;
  let school: string;
  let screener: string;
  let dsl: string;
  const admin = (path: string, body: unknown) =>
    fetch(`${sim.adminUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  /** A child the hub holds as its practitioners described it, in EH DAS screening (and on the school's roll). */
  const childLike = async (p: SimulatedPatient, nhsNumber: string | null = null) => {
    const child = await f.child({
      givenName: p.givenNames[0],
      familyName: p.familyName,
      dateOfBirth: p.birthDate,
      postcode: p.postcode,
      addressLine: p.addressLines[0],
      nhsNumber,
      nhsNumberTraced: false,
    });
    await f.involve(child.id, council, 'screening');
    await f.involve(child.id, school, 'on_roll');
    return child.id;
  };
  const addPatient = (p: SimulatedPatient) => admin('/admin/patients', p);
  const row = async (id: string) => (await t.database.db.select().from(children).where(eq(children.id, id)))[0]!;

  beforeAll(async () => {
    sim = await startPdsSimulator({ patients: [plain, current, restricted, twinA, twinB] });
    t = await startTestHub({
      clock: fixedClock(NOW),
      pds: new HttpPdsAdapter({ baseUrl: sim.url, backoffMs: 10, timeoutMs: 5_000 }),
    });
    f = fixture(t.database.db);
    council = await f.org('council', 'council_early_help');
    school = await f.org('school', 'school');
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-1' });
    dsl = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-1' });
  });
  beforeEach(() => admin('/admin/faults', {}));
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  it('finds the child by demographics and stores the number as traced, with who asked, when, the score and the source', async () => {
    const id = await childLike(plain);
    const res = await t.post(screener, TRACE, { childId: id });
    expect(res.errors).toBeUndefined();
    expect(res.data.traceNhsNumber).toEqual({
      childId: id,
      outcome: 'TRACED',
      nhsNumber: plain.nhsNumber,
      supersededNumber: null,
      score: 1,
      source: 'PDS_SEARCH',
      tracedAt: NOW,
      tracedBy: 'screener-1',
      addressRestricted: false,
    });
    expect(await row(id)).toMatchObject({
      nhsNumber: plain.nhsNumber,
      nhsNumberTraced: true,
      nhsNumberTracedAt: new Date(NOW),
      nhsNumberTracedBy: 'screener-1',
      nhsNumberTraceScore: 1,
      nhsNumberTraceSource: 'pds_search',
      addressRestricted: false,
    });
    const read = await t.post(dsl, READ, { id });
    expect(read.data.child).toMatchObject({
      nhsNumber: plain.nhsNumber,
      nhsNumberTraced: true,
      addressLine: plain.addressLines[0],
      nhsNumberTrace: { score: 1, source: 'PDS_SEARCH', tracedAt: NOW, tracedBy: 'screener-1' },
    });
  });

  it('refuses with CONFLICT a traced number another record holds (a duplicate to merge), changing nothing', async () => {
    await f.child({ nhsNumber: patient(130_014).nhsNumber, nhsNumberTraced: false });
    await addPatient(patient(130_014));
    const id = await childLike(patient(130_014));
    const res = await t.post(screener, TRACE, { childId: id });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'nhsNumber' });
    expect(await row(id)).toMatchObject({ nhsNumber: null, nhsNumberTraced: false });
  });

  it('resolves a superseded NHS number to the current one', async () => {
    const old = current.supersededNumbers![0]!;
    const id = await childLike(current, old);
    const res = await t.post(screener, TRACE, { childId: id });
    expect(res.errors).toBeUndefined();
    expect(res.data.traceNhsNumber).toMatchObject({
      outcome: 'TRACED',
      nhsNumber: current.nhsNumber,
      supersededNumber: old,
      score: 1,
      source: 'PDS_READ',
    });
    expect(await row(id)).toMatchObject({ nhsNumber: current.nhsNumber, nhsNumberTraced: true });
  });

  it("keeps a restricted record's address from a partner who could read it before", async () => {
    const id = await childLike(restricted);
    expect((await t.post(dsl, READ, { id })).data.child).toMatchObject({
      addressLine: restricted.addressLines[0],
      postcode: restricted.postcode,
    });
    const res = await t.post(screener, TRACE, { childId: id });
    expect(res.data.traceNhsNumber).toMatchObject({ outcome: 'TRACED', addressRestricted: true });
    // The school DSL reads contact details on its ISA basis: allowed, audited, and now empty.
    const read = await t.post(dsl, READ, { id });
    expect(read.errors).toBeUndefined();
    expect(read.data.child).toMatchObject({ nhsNumberTraced: true, addressLine: null, postcode: null });
  });

  it("a merge moves a traced number's provenance and the restriction to the surviving record", async () => {
    const traced = await childLike(patient(130_012, { restricted: true }));
    await addPatient(patient(130_012, { restricted: true }));
    expect((await t.post(screener, TRACE, { childId: traced })).data.traceNhsNumber.outcome).toBe('TRACED');
    const survivor = await childLike(patient(130_013));
    // Two people: one screener proposes, another approves.
    const proposed = await t.post(
      screener,
      'mutation ($from: ID!, $into: ID!) { proposeChildMerge(fromId: $from, intoId: $into, reason: "The same child, recorded twice") { id } }',
      { from: traced, into: survivor },
    );
    expect(proposed.errors).toBeUndefined();
    const second = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-2' });
    const merged = await t.post(second, 'mutation ($id: ID!) { approveChildMerge(id: $id) { status } }', {
      id: proposed.data.proposeChildMerge.id,
    });
    expect(merged.errors).toBeUndefined();
    expect(await row(survivor)).toMatchObject({
      nhsNumber: syntheticNhsNumber(130_012),
      nhsNumberTraced: true,
      nhsNumberTracedAt: new Date(NOW),
      nhsNumberTracedBy: 'screener-1',
      nhsNumberTraceScore: 1,
      nhsNumberTraceSource: 'pds_search',
      addressRestricted: true,
    });
  });

  it('verifies a given number by read, and refuses one whose PDS record is someone else', async () => {
    const id = await childLike(patient(130_007, { familyName: 'Notinpds' }));
    const res = await t.post(screener, TRACE, { childId: id, nhsNumber: plain.nhsNumber });
    expect(res.data.traceNhsNumber).toMatchObject({ outcome: 'MISMATCH', nhsNumber: null });
    expect(await row(id)).toMatchObject({ nhsNumber: null, nhsNumberTraced: false, nhsNumberTracedAt: null });
  });

  it('traces nothing when PDS finds two confident matches, or none', async () => {
    const twin = await childLike(twinA);
    expect((await t.post(screener, TRACE, { childId: twin })).data.traceNhsNumber.outcome).toBe('AMBIGUOUS');
    const nobody = await childLike(patient(130_008));
    expect((await t.post(screener, TRACE, { childId: nobody })).data.traceNhsNumber.outcome).toBe('NO_MATCH');
    expect(await row(twin)).toMatchObject({ nhsNumber: null, nhsNumberTraced: false });
  });

  it('answers SERVICE_UNAVAILABLE when PDS keeps failing (after its retries), changing nothing', async () => {
    const id = await childLike(patient(130_009, { nhsNumber: syntheticNhsNumber(130_009) }));
    await admin('/admin/faults', { failNext: 10, failStatus: 503 });
    const res = await t.post(screener, TRACE, { childId: id });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'pds' });
    expect(await row(id)).toMatchObject({ nhsNumberTraced: false, nhsNumberTracedAt: null });
  });

  it('is for EH DAS with a screening relationship only', async () => {
    const unrelated = await f.child({ nhsNumber: null, nhsNumberTraced: false });
    const refused = await t.post(screener, TRACE, { childId: unrelated.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const id = await childLike(patient(130_010));
    expect((await t.post(dsl, TRACE, { childId: id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("ignores a caller's nhsNumberTraced: a number given at registration is an untraced lead", async () => {
    const nhsNumber = syntheticNhsNumber(130_011);
    const res = await t.post(
      screener,
      `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { outcome childId } }`,
      {
        input: {
          givenName: 'Lead',
          familyName: 'Onlyson',
          dateOfBirth: '2016-01-01',
          postcode: 'LE2 2BB',
          nhsNumber,
          nhsNumberTraced: true,
        },
      },
    );
    expect(res.data.registerChild.outcome).toBe('CREATED');
    expect(await row(res.data.registerChild.childId)).toMatchObject({
      nhsNumber,
      nhsNumberTraced: false,
      nhsNumberTracedAt: null,
      nhsNumberTracedBy: null,
    });
  });
});

describe('traceNhsNumber without PDS configured', () => {
  let t: TestHub;

  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.close());

  it('answers SERVICE_UNAVAILABLE, naming PDS', async () => {
    const f = fixture(t.database.db);
    const council = await f.org('council', 'council_early_help');
    const child = await f.child({ nhsNumber: null, nhsNumberTraced: false });
    await f.involve(child.id, council, 'screening');
    const screener = await t.token({ role: 'eh_das_screener', org: council });
    const res = await t.post(screener, TRACE, { childId: child.id });
    expect(res.errors?.[0]).toMatchObject({
      message: expect.stringContaining('PDS_URL'),
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'pds' },
    });
  });
});
