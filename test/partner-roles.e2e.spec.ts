/**
 * The Early Help protocol's other partners over HTTP, each in the role the permission table gives
 * it: the Family Support Facilitator allocated a stepped-down case chairs its first TAF; the Family
 * Support Worker the TAF names lead practitioner reads and works the child by that involvement; the
 * EHA Co-ordinator screens the referral that opens an EHA but reads no social care; the education
 * welfare officer, the youth justice worker, the adult services worker and the work coach read as
 * TAF members (the last two only what the family consented to share with their kind of
 * organisation); the midwife reads the health of an unborn child on the trust's caseload. Every
 * role is refused in an organisation of a kind that cannot hold it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGANISATION_KIND_ROLES, type OrganisationKind } from '../src/access/organisation-roles';
import type { Role } from '../src/access/roles';
import type { GraphQLResponse } from './support/hub';
import { Q, buildWorld, planInput, threeNeeds, type World } from './workflow-support';

const NEW_ROLES = [
  'eha_coordinator',
  'family_support_facilitator',
  'family_support_worker',
  'education_welfare_officer',
  'midwife',
  'youth_justice_worker',
  'adult_services_worker',
  'work_coach',
] as const satisfies readonly Role[];

const CHILD = `query ($id: ID!) { child(id: $id) { id givenName familyName expectedDate nhsNumber postcode hasSend healthLevel openEha { id status } socialCareEpisodes { __typename } } }`;
const EPISODES = `query ($c: ID!) { missingEpisodes(childId: $c) { id startedAt policeReference } }`;
const RECORD_CONSENT = `mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;
const RECORD_EPISODE = `mutation ($input: RecordMissingEpisodeInput!) { recordMissingEpisode(input: $input) { id } }`;

/** Each refused field of a response: the field's path end → the refusal's code. */
function refusals(res: GraphQLResponse): Record<string, string> {
  return Object.fromEntries(
    (res.errors ?? []).map((e) => [String(e.path?.at(-1)), String(e.extensions?.code)] as const),
  );
}

describe('the protocol’s other partners, acting where it says they act', () => {
  let w: World;
  const org = {} as Record<'attendance' | 'youthJustice' | 'adults' | 'jobcentre' | 'otherAdults' | 'police', string>;
  const person = {} as Record<'fsf' | 'fsw' | 'otherFsw' | 'coordinator' | 'youthLead', string>;
  const token = {} as Record<
    | 'fsf'
    | 'fsw'
    | 'otherFsw'
    | 'coordinator'
    | 'ewo'
    | 'midwife'
    | 'otherMidwife'
    | 'youthJustice'
    | 'youthLead'
    | 'adults'
    | 'otherAdults'
    | 'workCoach'
    | 'police',
    string
  >;
  /** The stepped-down case: its child and EHA once the FSF has held the first TAF. */
  let steppedDown: { childId: string; ehaId: string; version: number };

  beforeAll(async () => {
    w = await buildWorld('2027-06-01T09:00:00Z');
    const { f, t } = w;
    org.attendance = await f.org('attendance', 'education_welfare');
    org.youthJustice = await f.org('youth-justice', 'youth_justice');
    org.adults = await f.org('adult-services', 'adult_services');
    org.otherAdults = await f.org('adult-services-elsewhere', 'adult_services');
    org.jobcentre = await f.org('jobcentre', 'jobcentre_plus');
    org.police = await f.org('police', 'police');
    person.fsf = await f.practitioner(w.org.council, 'pr-fsf', 'family_support_facilitator');
    person.fsw = await f.practitioner(w.org.council, 'pr-fsw', 'family_support_worker');
    person.otherFsw = await f.practitioner(w.org.council, 'pr-other-fsw', 'family_support_worker');
    person.coordinator = await f.practitioner(w.org.council, 'pr-coordinator', 'eha_coordinator');
    person.youthLead = await f.practitioner(org.youthJustice, 'pr-youth-lead', 'lead_practitioner');
    const mint = (role: Role, organisation: string, sub: string) => t.token({ role, org: organisation, sub });
    token.fsf = await mint('family_support_facilitator', w.org.council, 'pr-fsf');
    token.fsw = await mint('family_support_worker', w.org.council, 'pr-fsw');
    token.otherFsw = await mint('family_support_worker', w.org.council, 'pr-other-fsw');
    token.coordinator = await mint('eha_coordinator', w.org.council, 'pr-coordinator');
    token.ewo = await mint('education_welfare_officer', org.attendance, 'pr-ewo');
    token.midwife = await mint('midwife', w.org.health, 'pr-midwife');
    token.otherMidwife = await mint('midwife', await f.org('other-trust', 'health'), 'pr-other-midwife');
    token.youthJustice = await mint('youth_justice_worker', org.youthJustice, 'pr-yjs');
    token.youthLead = await mint('lead_practitioner', org.youthJustice, 'pr-youth-lead');
    token.adults = await mint('adult_services_worker', org.adults, 'pr-adults');
    token.otherAdults = await mint('adult_services_worker', org.otherAdults, 'pr-other-adults');
    token.workCoach = await mint('work_coach', org.jobcentre, 'pr-work-coach');
    token.police = await mint('police_officer', org.police, 'pr-police');

    // Social care steps its case down to the Family Support Facilitator.
    const c = await w.newChild();
    await f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
    await f.involve(c.id, org.police, 'police_notification', { startedOn: '2027-05-01' });
    const down = await w.ok(w.token.socialWorker, Q.stepDown, {
      child: c.id,
      ref: 'SA-PR-1',
      consent: c.consentId,
      fsm: person.fsf,
      c: 'central',
      rep: w.person.screener,
      on: w.today(),
    });
    steppedDown = { childId: c.id, ehaId: down.stepDown.id, version: down.stepDown.version };
    await w.ok(token.police, RECORD_EPISODE, {
      input: {
        childId: c.id,
        startedAt: '2027-05-20T20:00:00Z',
        returnedAt: '2027-05-21T08:00:00Z',
        policeReference: 'PR-1',
      },
    });
    // The family agrees that adult services may see who the family are and the plan; Jobcentre Plus, nothing yet.
    await f.consent(c.id, {
      organisationKinds: ['adult_services'],
      categories: ['identity', 'early_help', 'social_care', 'police'],
      purposes: ['direct_support'],
    });
  });
  afterAll(() => w.t.close());

  it('the Family Support Facilitator the step down allocated chairs the first TAF and names a Family Support Worker lead', async () => {
    const attendees = [w.org.school, w.org.council, org.attendance, org.youthJustice, org.adults, org.jobcentre];
    const held = await w.ok(token.fsf, Q.taf, {
      input: {
        ehaId: steppedDown.ehaId,
        expectedVersion: steppedDown.version,
        heldOn: w.today(),
        attendeeOrganisationIds: attendees,
        chairPractitionerId: person.fsf,
        leadPractitionerId: person.fsw,
      },
    });
    expect(held.recordTafMeeting).toMatchObject({ status: 'taf_held', firstTafOn: w.today() });
    steppedDown.version = held.recordTafMeeting.version;
  });

  it('a step down cannot be allocated to a Family Support Worker, nor a first TAF chaired by one', async () => {
    const c = await w.newChild();
    await w.f.involve(c.id, w.org.socialCare, 'allocated_social_worker', { practitionerId: w.person.socialWorker });
    const vars = {
      child: c.id,
      ref: 'SA-PR-2',
      consent: c.consentId,
      c: 'central',
      rep: w.person.screener,
      on: w.today(),
    };
    const refused = await w.t.post(w.token.socialWorker, Q.stepDown, { ...vars, fsm: person.fsw });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'familySupportManagerId' });
    const down = await w.ok(w.token.socialWorker, Q.stepDown, { ...vars, fsm: w.person.fsm });
    const byWorker = await w.t.post(w.token.fsm, Q.taf, {
      input: {
        ehaId: down.stepDown.id,
        expectedVersion: down.stepDown.version,
        heldOn: w.today(),
        attendeeOrganisationIds: [w.org.council],
        chairPractitionerId: person.fsw,
        leadPractitionerId: person.fsw,
      },
    });
    expect(byWorker.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'chairPractitionerId' });
    expect(byWorker.errors?.[0]?.message).toMatch(/Family Support Facilitator/);
  });

  it('a Family Support Facilitator named lead practitioner of another case reads that child by it', async () => {
    const c = await w.newChild();
    const before = await w.t.post(token.fsf, CHILD, { id: c.id });
    expect(before.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
    });
    const accepted = await w.ok(
      w.token.screener,
      Q.screen,
      {
        id: sub.submitReferral.referralId,
        v: 1,
        d: 'accept',
        r: 'Three needs',
        fsm: w.person.fsm,
        c: 'central',
        lead: person.fsf,
      },
      'screening',
    );
    const led = await w.t.post(token.fsf, CHILD, { id: c.id });
    expect(led.data?.child?.openEha).toMatchObject({ id: accepted.screenReferral.ehaId });
  });

  it('the Family Support Worker who leads the case reads the child by that involvement and works the plan; another does not', async () => {
    const read = await w.t.post(token.fsw, CHILD, { id: steppedDown.childId });
    expect(read.data?.child).toMatchObject({ id: steppedDown.childId, openEha: { id: steppedDown.ehaId } });
    expect(read.data?.child.nhsNumber).toMatch(/^999/);
    const planned = await w.ok(token.fsw, Q.plan, {
      input: planInput(w, steppedDown.ehaId, steppedDown.version, '2027-08-01', '2027-07-01'),
    });
    expect(planned.setActionPlan).toMatchObject({ status: 'plan_in_place' });
    steppedDown.version = planned.setActionPlan.version;

    const stranger = await w.t.post(token.otherFsw, CHILD, { id: steppedDown.childId });
    expect(stranger.data?.child).toBeNull();
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });

  it('the adult services worker at the TAF reads only what the family consented to share with adult services, never social care or police', async () => {
    const res = await w.t.post(token.adults, CHILD, { id: steppedDown.childId });
    expect(res.data?.child).toMatchObject({ givenName: expect.any(String), openEha: { id: steppedDown.ehaId } });
    expect(refusals(res)).toEqual({
      nhsNumber: 'FORBIDDEN',
      postcode: 'CONSENT_REQUIRED',
      hasSend: 'FORBIDDEN',
      healthLevel: 'FORBIDDEN',
      socialCareEpisodes: 'FORBIDDEN',
    });
    const episodes = await w.t.post(token.adults, EPISODES, { c: steppedDown.childId });
    expect(episodes.data?.missingEpisodes?.[0]?.policeReference).toBeNull();
    expect(refusals(episodes)).toMatchObject({ policeReference: 'FORBIDDEN' });

    const elsewhere = await w.t.post(token.otherAdults, CHILD, { id: steppedDown.childId });
    expect(elsewhere.data?.child).toBeNull();
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });

  it('the work coach at the TAF reads nothing the family has not consented to share with Jobcentre Plus', async () => {
    const res = await w.t.post(token.workCoach, CHILD, { id: steppedDown.childId });
    expect(res.data?.child?.id).toBe(steppedDown.childId);
    expect(refusals(res)).toMatchObject({
      givenName: 'CONSENT_REQUIRED',
      postcode: 'CONSENT_REQUIRED',
      openEha: 'CONSENT_REQUIRED',
      nhsNumber: 'FORBIDDEN',
      socialCareEpisodes: 'FORBIDDEN',
    });
    // The Family Support Facilitator records the family's consent naming the new kind.
    const recorded = await w.t.post(token.fsf, RECORD_CONSENT, {
      input: {
        childId: steppedDown.childId,
        givenBy: 'family_member',
        giverName: 'Parent (synthetic)',
        giverRelationship: 'parent',
        method: 'written',
        organisationKinds: ['jobcentre_plus'],
        categories: ['identity'],
        purposes: ['direct_support'],
        startsAt: '2027-06-01T08:00:00Z',
      },
    });
    expect(recorded.errors).toBeUndefined();
    const consented = await w.t.post(token.workCoach, CHILD, { id: steppedDown.childId });
    expect(consented.data?.child?.givenName).toEqual(expect.any(String));
    expect(refusals(consented)).not.toHaveProperty('givenName');
  });

  it('the education welfare officer at the TAF reads attendance and education by law, never health', async () => {
    const res = await w.t.post(token.ewo, CHILD, { id: steppedDown.childId });
    expect(res.data?.child).toMatchObject({ givenName: expect.any(String), hasSend: false });
    expect(refusals(res)).toMatchObject({ healthLevel: 'FORBIDDEN', socialCareEpisodes: 'FORBIDDEN' });
    expect(refusals(res)).not.toHaveProperty('hasSend');
  });

  it('the youth justice service sits on the TAF, and one of its practitioners can lead a case', async () => {
    const res = await w.t.post(token.youthJustice, CHILD, { id: steppedDown.childId });
    expect(res.data?.child?.givenName).toEqual(expect.any(String));
    expect(refusals(res)).toMatchObject({ socialCareEpisodes: 'FORBIDDEN' });

    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
    });
    const accepted = await w.ok(
      w.token.screener,
      Q.screen,
      {
        id: sub.submitReferral.referralId,
        v: 1,
        d: 'accept',
        r: 'Three needs',
        fsm: w.person.fsm,
        c: 'central',
        lead: person.youthLead,
      },
      'screening',
    );
    const led = await w.t.post(token.youthLead, CHILD, { id: c.id });
    expect(led.data?.child?.openEha).toMatchObject({ id: accepted.screenReferral.ehaId });
  });

  it('the EHA Co-ordinator screens the referral that opens an EHA, and reads no social care', async () => {
    const c = await w.newChild();
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: c.child, consentId: c.consentId, needs: threeNeeds },
    });
    const screened = await w.t.post(
      token.coordinator,
      Q.screen,
      {
        id: sub.submitReferral.referralId,
        v: 1,
        d: 'accept',
        r: 'Three needs, family engaged',
        fsm: w.person.fsm,
        c: 'central',
      },
      'screening',
    );
    expect(screened.data?.screenReferral).toMatchObject({ status: 'accepted', ehaId: expect.any(String) });
    // Even the screening's own answer: where social care was referred to is not the Co-ordinator's.
    expect(refusals(screened)).toEqual({ frontDoorOrganisationId: 'FORBIDDEN', frontDoorReferredAt: 'FORBIDDEN' });
    const res = await w.t.post(token.coordinator, CHILD, { id: c.id }, 'screening');
    expect(res.data?.child?.openEha).toMatchObject({ id: screened.data?.screenReferral.ehaId });
    expect(refusals(res)).toMatchObject({ socialCareEpisodes: 'FORBIDDEN' });
  });

  it('the midwife reads the health of an unborn child on the trust’s caseload; a midwife elsewhere has no relationship', async () => {
    const unborn = await w.f.child({ dateOfBirth: null, expectedDate: '2027-08-15', nhsNumber: null, upn: null });
    await w.f.involve(unborn.id, w.org.health, 'caseload', { startedOn: '2027-01-01' });
    const res = await w.t.post(token.midwife, CHILD, { id: unborn.id });
    expect(res.data?.child).toMatchObject({ expectedDate: '2027-08-15', healthLevel: null, postcode: 'LE1 1AA' });
    expect(refusals(res)).not.toHaveProperty('healthLevel');
    expect(refusals(res)).toMatchObject({ hasSend: 'FORBIDDEN', socialCareEpisodes: 'FORBIDDEN' });

    const elsewhere = await w.t.post(token.otherMidwife, CHILD, { id: unborn.id });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });

  it.each(NEW_ROLES)('refuses %s in an organisation of a kind that cannot hold it (401)', async (role) => {
    const kinds = Object.keys(ORGANISATION_KIND_ROLES) as OrganisationKind[];
    const wrong = kinds.filter((k) => !ORGANISATION_KIND_ROLES[k].includes(role));
    expect(wrong.length).toBeGreaterThan(0);
    for (const kind of wrong) {
      const organisation = await w.f.org(`wrong-${role}-${kind}`, kind);
      const res = await w.t.post(await w.t.token({ role, org: organisation, sub: `wrong-${role}` }), `{ me { role } }`);
      expect(res.status, `${role} in ${kind}`).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const right = kinds.find((k) => ORGANISATION_KIND_ROLES[k].includes(role))!;
    const home = await w.f.org(`right-${role}`, right);
    const me = await w.ok(await w.t.token({ role, org: home, sub: `right-${role}` }), `{ me { role } }`);
    expect(me.me.role).toBe(role);
  });
});
