/**
 * The full performance book over HTTP: every indicator computed from the hub's
 * own data (workflow, attendance feed, police feed, outcomes), with its owner and narrative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { adminChanges, policeIncidentChildren, policeIncidents, schoolAttendance } from '../schema';
import { acceptedCase, buildWorld, caseIn, Q, type World } from './workflow-support';

const BOOK = `query ($f: String!, $t: String!) { performanceBook(from: $f, to: $t) { from to indicators { key title unit owner narrative value numerator denominator breakdown { label value } source } } }`;
const BOOK_FIGURES = `query ($f: String!, $t: String!) { performanceBook(from: $f, to: $t) { indicators { key value numerator denominator source provenance version } } }`;
const NARRATE = `mutation ($input: SetIndicatorNarrativeInput!) { setIndicatorNarrative(input: $input) { indicator owner narrative } }`;
const ASSESS = `mutation ($input: RecordRickterAssessmentInput!) { recordRickterAssessment(input: $input) { distanceTravelled } }`;

describe('the full performance book', () => {
  let w: World;
  let book: Record<
    string,
    {
      value: number | null;
      numerator: number | null;
      denominator: number | null;
      owner: string;
      narrative: string | null;
      breakdown: { label: string; value: number }[];
    }
  >;

  beforeAll(async () => {
    w = await buildWorld('2026-11-05T09:00:00Z');
    // Case A: started in November, closed in March with Rickter scores and police incidents before it started.
    const a = await caseIn(w, 'plan_in_place');
    await w.ok(w.token.fsm, ASSESS, {
      input: {
        ehaId: a.ehaId,
        point: 'start',
        assessedOn: '2026-11-05',
        scores: [
          { area: 'money_and_debt', score: 2 },
          { area: 'safety', score: 4 },
        ],
      },
    });
    const police = await w.f.org('pb-police', 'police');
    for (const day of ['2026-09-01', '2026-10-01']) {
      const [incident] = await w.t.database.db
        .insert(policeIncidents)
        .values({
          organisationId: police,
          policeReference: `PB-${day}`,
          occurredAt: new Date(`${day}T22:00:00Z`),
          location: 'Synthetic',
          circumstances: 'Synthetic',
          receivedAt: new Date(`${day}T23:00:00Z`),
        })
        .returning();
      await w.t.database.db
        .insert(policeIncidentChildren)
        .values({ incidentId: incident!.id, childId: a.childId, present: true });
    }
    w.clock.set('2027-03-10T09:00:00Z');
    await w.ok(w.token.fsm, ASSESS, {
      input: {
        ehaId: a.ehaId,
        point: 'closure',
        assessedOn: '2027-03-10',
        scores: [
          { area: 'money_and_debt', score: 6 },
          { area: 'safety', score: 5 },
        ],
      },
    });
    await w.ok(w.token.fsm, Q.close, {
      id: a.ehaId,
      v: a.version,
      o: 'needs_met',
      r: 'Needs met',
      s: ['Universal services'],
    });
    // B, C accepted; D stepped up — all in March.
    await acceptedCase(w);
    await acceptedCase(w);
    await caseIn(w, 'stepped_up_awaiting_outcome');
    // Attendance returns: two primary pupils (one persistently absent), one secondary (persistently absent, 2 exclusions).
    const pupil = async (dateOfBirth: string, attendancePercent: number, exclusions: number) => {
      const c = await w.f.child({ dateOfBirth });
      await w.t.database.db.insert(schoolAttendance).values({
        childId: c.id,
        organisationId: w.org.school,
        periodStart: '2027-01-04',
        periodEnd: '2027-02-28',
        attendancePercent,
        fixedPeriodExclusions: exclusions,
        persistentAbsence: attendancePercent < 90,
        receivedAt: new Date(),
      });
    };
    await pupil('2018-01-01', 84, 0);
    await pupil('2017-06-01', 97, 0);
    await pupil('2012-01-01', 80, 2);
    await w.ok(w.token.fsm, NARRATE, {
      input: {
        indicator: 'step_up',
        from: '2027-01-01',
        to: '2027-03-31',
        owner: 'Named Service Manager',
        narrative: 'One step up after a disclosure at school.',
      },
    });
    const res = await w.ok(w.token.screener, BOOK, { f: '2027-01-01', t: '2027-03-31' });
    book = Object.fromEntries(res.performanceBook.indicators.map((i: { key: string }) => [i.key, i]));
  });
  afterAll(() => w.t.close());

  it("has every indicator of the partnership's book, each with an owner", () => {
    expect(Object.keys(book)).toEqual([
      'contacts_requesting_targeted_early_help',
      'early_help_casework',
      'step_up',
      'step_down',
      'primary_persistent_absence',
      'secondary_persistent_absence',
      'primary_fixed_period_exclusions',
      'secondary_fixed_period_exclusions',
      'domestic_abuse_incidents_start_end',
      'family_wellbeing_improvement',
      'distance_travelled',
      'under_18_conceptions',
      'infant_mortality',
      'eyfs_good_level_of_development',
      'first_time_entrants',
      'homeless_16_17',
    ]);
    for (const i of Object.values(book)) expect(i.owner.length).toBeGreaterThan(0);
  });

  it('counts contacts, casework, step up and step down from the workflow', () => {
    expect(book.contacts_requesting_targeted_early_help!.value).toBe(3);
    // By source (the referrer's kind of organisation), not by cluster: all three came from the school.
    expect(book.contacts_requesting_targeted_early_help!.breakdown).toEqual([{ label: 'school', value: 3 }]);
    expect(book.early_help_casework!.value).toBe(3);
    expect(book.early_help_casework!.breakdown.slice(0, 2)).toEqual([
      { label: 'EHAs accepted in the period', value: 3 },
      { label: 'Targeted Support (single agency) started in the period', value: 0 },
    ]);
    expect(book.step_up!.value).toBe(1);
    expect(book.step_down!.value).toBe(0);
  });

  it('computes primary and secondary persistent absence and exclusions from the attendance feed', () => {
    expect(book.primary_persistent_absence).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    expect(book.secondary_persistent_absence).toMatchObject({ value: 100, numerator: 1, denominator: 1 });
    // The share of pupils with one or more, not the number of exclusions: 0 of 2 primary, 1 of 1 secondary (2 exclusions).
    expect(book.primary_fixed_period_exclusions).toMatchObject({ value: 0, numerator: 0, denominator: 2 });
    expect(book.secondary_fixed_period_exclusions).toMatchObject({
      value: 100,
      numerator: 1,
      denominator: 1,
      breakdown: [{ label: 'fixed-period exclusions', value: 2 }],
    });
  });

  it('compares domestic abuse incidents at the start and the end of intervention', () => {
    expect(book.domestic_abuse_incidents_start_end).toMatchObject({ value: -2, numerator: 0, denominator: 2 });
  });

  it('reports family wellbeing improvement and distance travelled from the outcomes', () => {
    expect(book.family_wellbeing_improvement).toMatchObject({ value: 100, numerator: 1, denominator: 1 });
    expect(book.distance_travelled).toMatchObject({
      value: 5,
      denominator: 1,
      breakdown: [{ label: 'central', value: 5 }],
    });
  });

  it('shows the owner and narrative set for the period; refuses unknown indicators and other roles', async () => {
    expect(book.step_up).toMatchObject({
      owner: 'Named Service Manager',
      narrative: 'One step up after a disclosure at school.',
    });
    expect(book.step_down!.narrative).toBeNull();
    const other = await w.ok(w.token.screener, BOOK, { f: '2027-01-01', t: '2027-02-28' });
    expect(other.performanceBook.indicators.find((i: { key: string }) => i.key === 'step_up').narrative).toBeNull();
    const bad = await w.t.post(w.token.fsm, NARRATE, {
      input: { indicator: 'happiness', from: '2027-01-01', to: '2027-03-31', owner: 'x', narrative: 'y' },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'indicator' });
    expect(
      (await w.t.post(w.token.school, BOOK, { f: '2027-01-01', t: '2027-03-31' })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it('takes the owner’s figures for what the hub cannot compute: validated, versioned, logged, the latest shown', async () => {
    const SUBMIT = `mutation ($input: SubmitIndicatorFigureInput!) { submitIndicatorFigure(input: $input) { id indicator version value source } }`;
    const figure = {
      indicator: 'under_18_conceptions',
      from: '2027-01-01',
      to: '2027-03-31',
      value: 13.2,
      numerator: 33,
      denominator: 2500,
      source: 'ONS conception statistics (synthetic)',
      provenance: 'Public health extract of 2027-04-20, checked by the analyst',
    };
    const before = book.under_18_conceptions as unknown as { value: number | null; source: string | null };
    expect(before).toMatchObject({ value: null, source: null });
    expect((book.step_up as unknown as { source: string }).source).toBe('hub');
    const refusals: [Record<string, unknown>, string][] = [
      [{ indicator: 'step_up' }, 'indicator'],
      [{ indicator: 'eyfs_good_level_of_development', value: 120, numerator: null, denominator: null }, 'value'],
      [{ indicator: 'first_time_entrants', value: 4.5, numerator: null, denominator: null }, 'value'],
      [{ numerator: 3000 }, 'numerator'],
      [{ denominator: null }, 'denominator'],
      [{ provenance: ' ' }, 'provenance'],
      [{ to: '2026-12-31' }, 'to'],
    ];
    for (const [change, field] of refusals) {
      const res = await w.t.post(w.token.fsm, SUBMIT, { input: { ...figure, ...change } });
      expect(res.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const first = await w.ok(w.token.fsm, SUBMIT, { input: figure });
    expect(first.submitIndicatorFigure).toMatchObject({ version: 1, value: 13.2 });
    const corrected = await w.ok(w.token.fsm, SUBMIT, { input: { ...figure, value: 12.8, numerator: 32 } });
    expect(corrected.submitIndicatorFigure.version).toBe(2);
    const res = await w.ok(w.token.screener, BOOK_FIGURES, { f: '2027-01-01', t: '2027-03-31' });
    const shown = res.performanceBook.indicators.find((i: { key: string }) => i.key === 'under_18_conceptions');
    expect(shown).toMatchObject({
      value: 12.8,
      numerator: 32,
      denominator: 2500,
      source: 'ONS conception statistics (synthetic)',
      version: 2,
    });
    const logged = await w.t.database.db.select().from(adminChanges).where(eq(adminChanges.entity, 'indicator_figure'));
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged)).not.toContain('12.8');
    const school = await w.t.post(w.token.school, SUBMIT, { input: figure });
    expect(school.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
