/**
 * Probabilistic matching at the front door: a registration that is probably a child the hub
 * already holds (a nickname, a typo, a swapped date) is not a silent second record: it joins the
 * EH DAS review queue, where only screeners see the candidates and the matcher's explanation.
 * Twins (same date of birth and address, different given names) are never linked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, pendingMatches } from '../schema';
import { fixedClock } from '../src/shared/clock';
import { fixture, type Fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) { outcome childId matchedOn reference candidates { childId } }
}`;
const PENDING = `{ pendingMatches(status: pending, first: 200) {
  id feed reason candidateChildIds givenName familyName dateOfBirth
  explanation { childId score band rule fields { field level weight } }
} }`;
const RESOLVE = `mutation ($id: ID!, $childId: ID, $createNew: Boolean) { resolvePendingMatch(id: $id, childId: $childId, createNew: $createNew) { id status resolvedChildId } }`;

describe('probabilistic matching over HTTP', () => {
  let t: TestHub;
  let f: Fixture;
  let screener: string;
  let practitioner: string;
  const jonathan = {
    givenName: 'Jonathan',
    familyName: 'Quillfeather',
    dateOfBirth: '2016-04-09',
    postcode: 'LE3 5QT',
    gender: 'male',
  };
  let jonathanId: string;
  const count = () => t.database.db.$count(children);

  beforeAll(async () => {
    t = await startTestHub({ clock: fixedClock('2026-11-26T12:00:00Z') });
    f = fixture(t.database.db);
    const council = await f.org('council', 'council_early_help');
    const school = await f.org('school', 'school');
    screener = await t.token({ role: 'eh_das_screener', org: council, sub: 'screener-m' });
    practitioner = await t.token({ role: 'lead_practitioner', org: school, sub: 'lead-m' });
    const created = await t.post(practitioner, REGISTER, { input: jonathan });
    expect(created.data.registerChild.outcome).toBe('CREATED');
    jonathanId = created.data.registerChild.childId;
  });
  afterAll(() => t.close());

  it.each([
    ['a nickname', { givenName: 'Jon' }, 'givenName', 'nickname'],
    ['a spelling variant', { givenName: 'Johnathan' }, 'givenName', 'nickname'],
    ['a typo in the given name', { givenName: 'Jonathon' }, 'givenName', 'similar'],
    ['day and month swapped', { dateOfBirth: '2016-09-04' }, 'dateOfBirth', 'swapped_day_month'],
  ])('%s goes to EH DAS review with an explanation, creating nothing', async (_name, change, field, level) => {
    const before = await count();
    const res = await t.post(practitioner, REGISTER, { input: { ...jonathan, ...change } });
    expect(res.errors).toBeUndefined();
    // The registrant learns a reference, not which record it resembles.
    expect(res.data.registerChild).toEqual({
      outcome: 'HELD_FOR_REVIEW',
      childId: null,
      matchedOn: null,
      reference: expect.any(String),
      candidates: [],
    });
    expect(await count()).toBe(before);
    const queue = await t.post(screener, PENDING, {}, 'screening');
    expect(queue.errors).toBeUndefined();
    const held = queue.data.pendingMatches.find((p: { id: string }) => p.id === res.data.registerChild.reference);
    expect(held).toMatchObject({
      feed: 'registration',
      reason: 'probable_match',
      candidateChildIds: [jonathanId],
      givenName: (change as { givenName?: string }).givenName ?? 'Jonathan',
    });
    const [explained] = held.explanation;
    expect(explained).toMatchObject({ childId: jonathanId, band: 'review', rule: null });
    expect(explained.fields.map((x: { field: string }) => x.field)).toEqual([
      'givenName',
      'familyName',
      'dateOfBirth',
      'postcode',
      'sex',
      'nhsNumber',
      'upn',
    ]);
    expect(explained.fields.find((x: { field: string }) => x.field === field)).toMatchObject({
      level,
      weight: expect.any(Number),
    });
    expect(explained.score).toBeCloseTo(
      explained.fields.reduce((s: number, x: { weight: number }) => s + x.weight, 0),
      1,
    );
  });

  it('shows the queue and its explanations to EH DAS screening only', async () => {
    const res = await t.post(practitioner, PENDING, {}, 'screening');
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('twins never merge: same date of birth and address, a different given name, is a new record', async () => {
    const before = await count();
    const twin = await t.post(practitioner, REGISTER, {
      input: { ...jonathan, givenName: 'Matilda', gender: 'female' },
    });
    expect(twin.data.registerChild).toMatchObject({ outcome: 'CREATED', reference: null });
    expect(twin.data.registerChild.childId).not.toBe(jonathanId);
    const brother = await t.post(practitioner, REGISTER, { input: { ...jonathan, givenName: 'Oscar' } });
    expect(brother.data.registerChild.outcome).toBe('CREATED');
    expect(await count()).toBe(before + 2);
    // And the twin's own re-registration by nickname is offered as the twin, never as Jonathan.
    const tilly = await t.post(practitioner, REGISTER, {
      input: { ...jonathan, givenName: 'Matilda-Rose', gender: 'female' },
    });
    const queue = await t.post(screener, PENDING, {}, 'screening');
    const held = queue.data.pendingMatches.find((p: { id: string }) => p.id === tilly.data.registerChild.reference);
    expect(held.candidateChildIds).toEqual([twin.data.registerChild.childId]);
  });

  it('a partner feed describing the child by a nickname is held with the explanation; its receipt is the same as for a child the hub does not hold', async () => {
    const force = await f.org('force-m', 'police');
    const police = await t.token({ role: 'police_system', org: force, sub: 'encompass-m' });
    const NOTIFY =
      'mutation ($input: NotifyPoliceIncidentInput!) { notifyPoliceIncident(input: $input) { status receiptId } }';
    const incident = (ref: string, child: Record<string, unknown>) => ({
      policeReference: ref,
      occurredAt: '2026-11-20T22:30:00Z',
      location: '1 Synthetic Row',
      circumstances: 'Synthetic',
      children: [{ ...child, present: true }],
    });
    const nickname = await t.post(police, NOTIFY, {
      input: incident('OE-M1', {
        givenName: 'Jon',
        familyName: 'Quillfeather',
        dateOfBirth: '2016-04-09',
        postcode: 'LE3 5QT',
      }),
    });
    const unknown = await t.post(police, NOTIFY, {
      input: incident('OE-M2', {
        givenName: 'Wendeline',
        familyName: 'Ostrakova',
        dateOfBirth: '2013-02-11',
        postcode: 'NG5 1AA',
      }),
    });
    expect(nickname.errors).toBeUndefined();
    expect(Object.keys(nickname.data.notifyPoliceIncident)).toEqual(Object.keys(unknown.data.notifyPoliceIncident));
    expect(nickname.data.notifyPoliceIncident.status).toBe(unknown.data.notifyPoliceIncident.status);
    const queue = await t.post(screener, PENDING, {}, 'screening');
    const held = queue.data.pendingMatches.filter((p: { feed: string }) => p.feed === 'police');
    expect(held.map((p: { reason: string }) => p.reason).sort()).toEqual(['no_match', 'probable_match']);
    const probable = held.find((p: { reason: string }) => p.reason === 'probable_match');
    expect(probable).toMatchObject({ candidateChildIds: [jonathanId], givenName: 'Jon' });
    expect(probable.explanation[0]).toMatchObject({ childId: jonathanId, band: 'review' });
    expect(probable.explanation[0].fields[0]).toMatchObject({ field: 'givenName', level: 'nickname' });
  });

  it('a screener resolves a held registration to the record or to a new one', async () => {
    const held = await t.post(practitioner, REGISTER, { input: { ...jonathan, givenName: 'Johnny' } });
    const linked = await t.post(
      screener,
      RESOLVE,
      { id: held.data.registerChild.reference, childId: jonathanId },
      'screening',
    );
    expect(linked.errors).toBeUndefined();
    expect(linked.data.resolvePendingMatch).toMatchObject({ status: 'resolved', resolvedChildId: jonathanId });
    const other = await t.post(practitioner, REGISTER, {
      input: { ...jonathan, givenName: 'Jonny', dateOfBirth: '2016-04-08' },
    });
    const before = await count();
    const created = await t.post(
      screener,
      RESOLVE,
      { id: other.data.registerChild.reference, createNew: true },
      'screening',
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.resolvePendingMatch.resolvedChildId).not.toBe(jonathanId);
    expect(await count()).toBe(before + 1);
    const [row] = await t.database.db
      .select()
      .from(pendingMatches)
      .where((await import('drizzle-orm')).eq(pendingMatches.id, other.data.registerChild.reference));
    expect(row!.status).toBe('resolved');
  });
});
