/**
 * Who else is involved over HTTP: for a referral being screened and for a TAF,
 * the organisations already involved (involvements, feeds, open cases) — only what the caller's
 * role and the family's consent allow; withheld lists are null with their typed error.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit, healthUpdates } from '../schema';
import { buildWorld, Q, threeNeeds, type World } from './workflow-support';

const WHO = `query ($r: ID, $e: ID) { whoElseIsInvolved(referralId: $r, ehaId: $e) { childId referralId ehaId
  education { organisationId organisationName relationship source since }
  health { organisationId organisationName relationship source detail lastActivityOn }
  police { organisationId relationship }
  socialCare { organisationId relationship practitionerName }
  earlyHelp { organisationId relationship source practitionerName detail } } }`;

type Res = Awaited<ReturnType<World['t']['post']>>;
const errorAt = (res: Res, field: string) =>
  res.errors?.find((e) => (e.path as string[] | undefined)?.at(-1) === field)?.extensions;

describe('who else is involved', () => {
  let w: World;
  let child: Awaited<ReturnType<World['newChild']>>;
  let referralId: string;
  let police: string;

  beforeAll(async () => {
    w = await buildWorld();
    police = await w.f.org('police-force', 'police');
    child = await w.newChild();
    // Already involved: the health trust (caseload + a level from the feed), police (Encompass), social care.
    const hv = await w.f.practitioner(w.org.health, 'who-health-visitor', 'health_visitor');
    await w.f.involve(child.id, w.org.health, 'caseload', { practitionerId: hv, startedOn: '2026-06-01' });
    await w.t.database.db.insert(healthUpdates).values({
      childId: child.id,
      organisationId: w.org.health,
      recordId: 'who-1',
      level: 'UNIVERSAL_PLUS',
      effectiveDate: '2027-02-01',
      contactType: 'contact',
      summary: 'Synthetic',
      receivedAt: new Date('2027-02-01T10:00:00Z'),
    });
    await w.f.involve(child.id, police, 'police_notification', { startedOn: '2027-01-15' });
    await w.f.involve(child.id, w.org.socialCare, 'allocated_social_worker', {
      practitionerId: w.person.socialWorker,
      startedOn: '2026-11-01',
    });
    // An involvement that ended is history, not "involved".
    await w.f.involve(child.id, w.org.otherSchool, 'on_roll', { startedOn: '2020-09-01', endedOn: '2024-07-20' });
    const sub = await w.ok(w.token.school, Q.submit, {
      input: { child: child.child, consentId: child.consentId, needs: threeNeeds },
    });
    referralId = sub.submitReferral.referralId;
  });
  afterAll(() => w.t.close());

  it('the screener sees early help and social care (ISA basis) but not education, health or police without consent', async () => {
    const res = await w.t.post(w.token.screener, WHO, { r: referralId }, 'screening');
    const v = res.data.whoElseIsInvolved;
    expect(v).toMatchObject({
      childId: child.id,
      referralId,
      ehaId: null,
      education: null,
      health: null,
      police: null,
    });
    for (const f of ['education', 'health', 'police'])
      expect(errorAt(res, f)).toMatchObject({
        code: 'CONSENT_REQUIRED',
        category: f === 'education' ? 'education' : f,
      });
    expect(v.socialCare).toEqual([
      {
        organisationId: w.org.socialCare,
        relationship: 'allocated_social_worker',
        practitionerName: 'Practitioner wf-social-worker',
      },
    ]);
    expect(v.earlyHelp).toEqual([
      {
        organisationId: w.org.council,
        relationship: 'screening',
        source: 'involvement',
        practitionerName: null,
        detail: null,
      },
    ]);
    // The redactions are in the access audit with their reason.
    const rows = await w.t.database.db
      .select()
      .from(accessAudit)
      .where(and(eq(accessAudit.childId, child.id), eq(accessAudit.callerSubject, 'wf-screener')));
    const redacted = rows.flatMap((r) => (r.fieldsRedacted as { category: string; code: string }[] | null) ?? []);
    expect(redacted.map((r) => r.category)).toEqual(expect.arrayContaining(['education', 'health', 'police']));
  });

  it("with the family's consent for education and health (screening), the screener sees the school and the trust — police stays withheld", async () => {
    await w.f.consent(child.id, {
      organisationKinds: ['council_early_help'],
      categories: ['education', 'health'],
      purposes: ['screening'],
    });
    const res = await w.t.post(w.token.screener, WHO, { r: referralId }, 'screening');
    const v = res.data.whoElseIsInvolved;
    expect(v.education).toEqual([
      {
        organisationId: w.org.school,
        organisationName: 'Test school',
        relationship: 'on_roll',
        source: 'involvement',
        since: '2020-01-01',
      },
    ]);
    expect(v.health).toEqual(
      expect.arrayContaining([
        {
          organisationId: w.org.health,
          organisationName: 'Test health',
          relationship: 'caseload',
          source: 'involvement',
          detail: null,
          lastActivityOn: null,
        },
        {
          organisationId: w.org.health,
          organisationName: 'Test health',
          relationship: 'health_level',
          source: 'health_feed',
          detail: 'UNIVERSAL_PLUS',
          lastActivityOn: '2027-02-01',
        },
      ]),
    );
    expect(v.health).toHaveLength(2);
    expect(v.police).toBeNull();
    expect(errorAt(res, 'police')?.code).toBe('CONSENT_REQUIRED');
    // The consent was given for screening: the same caller with another purpose does not get it.
    const other = await w.t.post(w.token.screener, WHO, { r: referralId }, 'direct_support');
    expect(other.data.whoElseIsInvolved.health).toBeNull();
  });

  it('refuses callers without a relationship (same NO_RELATIONSHIP for an unknown id), roles outside Early Help, and a missing purpose', async () => {
    const otherCouncil = await w.f.org('other-council', 'council_early_help');
    const stranger = await w.t.token({ role: 'eh_das_screener', org: otherCouncil, sub: 'who-stranger' });
    const a = await w.t.post(stranger, WHO, { r: referralId }, 'screening');
    const b = await w.t.post(stranger, WHO, { r: '00000000-0000-4000-8000-00000000abcd' }, 'screening');
    expect(a.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
    expect(b.errors?.[0]?.extensions).toEqual(a.errors?.[0]?.extensions);
    expect(a.data?.whoElseIsInvolved ?? null).toBeNull();
    const school = await w.t.post(w.token.school, WHO, { r: referralId }, 'screening');
    expect(school.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noPurpose = await w.t.post(w.token.screener, WHO, { r: referralId }, null);
    expect(noPurpose.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const both = await w.t.post(w.token.screener, WHO, { r: referralId, e: referralId }, 'screening');
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('for a TAF: the allocated Family Support Manager sees the open EHA; another Family Support Manager gets NO_RELATIONSHIP', async () => {
    const ref = await w.ok(
      w.token.screener,
      Q.screen,
      { id: referralId, v: 1, d: 'accept', r: 'Three needs', fsm: w.person.fsm, c: 'central', lead: w.person.lead },
      'screening',
    );
    const ehaId = ref.screenReferral.ehaId;
    const res = await w.t.post(w.token.fsm, WHO, { e: ehaId }, 'direct_support');
    const v = res.data.whoElseIsInvolved;
    expect(v).toMatchObject({ ehaId, referralId });
    expect(v.earlyHelp).toEqual(
      expect.arrayContaining([
        {
          organisationId: w.org.council,
          relationship: 'open_eha',
          source: 'open_eha',
          practitionerName: 'Practitioner wf-fsm',
          detail: 'awaiting_first_taf',
        },
        expect.objectContaining({ relationship: 'lead_practitioner', practitionerName: 'Practitioner wf-lead' }),
      ]),
    );
    // The FSM reads health only with consent for its organisation kind and purpose (that consent was for screening).
    expect(v.health).toBeNull();
    const otherFsmPerson = await w.f.practitioner(w.org.council, 'who-other-fsm', 'family_support_manager');
    void otherFsmPerson;
    const otherFsm = await w.t.token({ role: 'family_support_manager', org: w.org.council, sub: 'who-other-fsm' });
    const refused = await w.t.post(otherFsm, WHO, { e: ehaId }, 'direct_support');
    expect(refused.errors?.[0]?.extensions?.code).toBe('NO_RELATIONSHIP');
  });
});
