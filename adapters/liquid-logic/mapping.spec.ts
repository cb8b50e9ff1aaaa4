/**
 * Every outbound record shape, checked against the SSD definitions read from the YAML at test
 * time: field names exist in the object, types match, required fields are present.
 */
import { describe, expect, it } from 'vitest';
import { endReasonCode, ssdRowsOf, toEpisodeRecord, toPersonMergeRecord, toPersonRecord, type PersonSource } from './mapping';
import { loadSsdDefinitions, ssdRecordValidator, validateSsdRow } from './ssd-validator';

const defs = loadSsdDefinitions();
const validate = ssdRecordValidator(defs);

const involvement = {
  id: '5f0c8c1e-0000-4000-8000-000000000010', kind: 'lead_practitioner', startedOn: '2026-01-05', endedOn: null, organisationName: 'Synthetic Primary',
  practitioner: { id: '5f0c8c1e-0000-4000-8000-000000000011', subject: 'lp-1', displayName: 'Practitioner One', roles: ['lead_practitioner'] },
};

const person: PersonSource = {
  child: {
    id: '5f0c8c1e-0000-4000-8000-000000000001', givenName: 'Synthetic', familyName: 'Child', dateOfBirth: '2016-03-15', expectedDate: null, gender: 'female',
    nhsNumber: '9434765919', upn: 'B801200005001', liquidLogicPersonId: null, hasSend: true, addressLine: '1 Synthetic Row', postcode: 'LE1 1AA',
    createdAt: new Date('2026-01-02T10:00:00Z'),
  },
  mergedIds: [{ id: '5f0c8c1e-0000-4000-8000-000000000002', mergedOn: '2026-02-01' }],
  involvements: [involvement, { ...involvement, id: '5f0c8c1e-0000-4000-8000-000000000012', kind: 'on_roll', practitioner: null }],
  household: [
    { relation: 'parent', familyMemberId: '5f0c8c1e-0000-4000-8000-000000000020', siblingPersonId: null },
    { relation: 'sibling', familyMemberId: null, siblingPersonId: 'LL0000042' },
  ],
};

describe('outbound records match the SSD definitions', () => {
  it('loads the SSD objects the mapping uses', () => {
    for (const object of ['ssd_person', 'ssd_linked_identifiers', 'ssd_address', 'ssd_family', 'ssd_involvements', 'ssd_professionals', 'ssd_early_help_episodes', 'ssd_cin_episodes', 'ssd_cp_plans', 'ssd_cla_episodes']) {
      expect(defs.has(object), object).toBe(true);
    }
    expect(defs.get('ssd_person')!.get('pers_person_id')).toEqual({ type: 'nvarchar', required: true });
  });

  it('person: ssd_person, linked identifiers, address, family, involvements, professionals', () => {
    const record = toPersonRecord(person);
    expect(validate('person', record)).toEqual([]);
    const objects = ssdRowsOf(record).map((r) => r.object);
    for (const o of ['ssd_person', 'ssd_linked_identifiers', 'ssd_address', 'ssd_family', 'ssd_involvements', 'ssd_professionals']) expect(objects).toContain(o);
    expect(record.person).toMatchObject({ pers_person_id: person.child.id, pers_sex: 'F', pers_gender: '02', pers_common_child_id: '9434765919', pers_send_flag: 'Y' });
    expect(record.identifiers.map((i) => [i.link_identifier_type, i.link_valid_to_date])).toEqual([
      ['Early Help Hub ID', null], ['NHS Number', null], ['Unique Pupil Number', null], ['Early Help Hub ID', '2026-02-01'],
    ]);
    expect(record.family.map((f) => f.fami_person_id)).toEqual([person.child.id, 'LL0000042']);
  });

  it('an unborn baby is sent by expected date; Liquid Logic’s id is used once known', () => {
    const record = toPersonRecord({ ...person, child: { ...person.child, dateOfBirth: null, expectedDate: '2026-09-01', liquidLogicPersonId: 'LL0000007' }, household: [] });
    expect(validate('person', record)).toEqual([]);
    expect(record.person).toMatchObject({ pers_person_id: 'LL0000007', pers_dob: null, pers_expected_dob: '2026-09-01', pers_legacy_id: person.child.id });
    expect(record.family).toEqual([]);
  });

  it('early help episode, open and closed with each end reason', () => {
    const base = { id: '5f0c8c1e-0000-4000-8000-000000000030', personId: 'LL0000007', startedOn: '2026-01-05', status: 'plan_in_place', needCategories: ['school_attendance', 'family_relationships'], organisationName: 'Early Help Central', workerId: involvement.practitioner.id, involvements: [involvement] };
    const open = toEpisodeRecord({ ...base, closedOn: null, closureOutcome: null });
    expect(validate('early_help_episode', open)).toEqual([]);
    expect(open.episode).toMatchObject({ earl_episode_end_date: null, earl_episode_end_reason: null, earl_episode_reason: 'family_relationships,school_attendance' });
    for (const [outcome, code] of [['needs_met', 'OUTCOMES_MET'], ['stepped_up', 'STEP_UP'], ['no_further_action', 'NFA'], ['referred_to_masp', 'MASP']] as const) {
      const closed = toEpisodeRecord({ ...base, closedOn: '2026-05-01', closureOutcome: outcome });
      expect(validate('early_help_episode', closed)).toEqual([]);
      expect(closed.episode.earl_episode_end_reason).toBe(code);
      expect(endReasonCode(outcome)).toBe(code);
    }
  });

  it('person merge carries the survivor’s identifiers with the retired id ended', () => {
    const record = toPersonMergeRecord({ id: '5f0c8c1e-0000-4000-8000-000000000002', liquidLogicPersonId: 'LL0000003' }, person, '2026-02-01');
    expect(validate('person_merge', record)).toEqual([]);
    expect(record).toMatchObject({ fromPersonId: 'LL0000003', intoPersonId: person.child.id });
  });

  it('the validator catches a missing required field, a wrong type and an unknown field', () => {
    expect(validateSsdRow(defs, 'ssd_person', { pers_forename: 'X' })).toContain('ssd_person.pers_person_id: required');
    expect(validateSsdRow(defs, 'ssd_early_help_episodes', { earl_episode_id: 'E1', earl_person_id: 'P1', earl_episode_start_date: '05/01/2026' }))
      .toContain('ssd_early_help_episodes.earl_episode_start_date: not a valid datetime');
    expect(validateSsdRow(defs, 'ssd_person', { pers_person_id: 'P1', pers_favourite_colour: 'red' })).toContain('ssd_person.pers_favourite_colour: not in the SSD object');
    expect(validateSsdRow(defs, 'ssd_professionals', { prof_professional_id: 'W1', prof_professional_caseload: 'ten' })).toContain('ssd_professionals.prof_professional_caseload: not a valid int');
  });

  it('inbound social care records use SSD names (CIN, CP plan, CLA)', () => {
    expect(validateSsdRow(defs, 'ssd_cin_episodes', { cine_referral_id: 'R1', cine_person_id: 'LL1', cine_referral_date: '2026-01-01', cine_close_date: null, cine_close_reason: null })).toEqual([]);
    expect(validateSsdRow(defs, 'ssd_cp_plans', { cppl_cp_plan_id: 'CP1', cppl_person_id: 'LL1', cppl_cp_plan_start_date: '2026-01-01', cppl_cp_plan_end_date: null })).toEqual([]);
    expect(validateSsdRow(defs, 'ssd_cla_episodes', { clae_cla_episode_id: 'C1', clae_person_id: 'LL1', clae_cla_episode_start_date: '2026-01-01', clae_cla_episode_ceased_date: null, clae_cla_episode_ceased_reason: null })).toEqual([]);
  });
});
