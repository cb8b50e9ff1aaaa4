/**
 * Every outbound record shape, checked against the repository's SSD schema (./ssd/schema.ts):
 * field names exist in the object, types and code sets match, required fields are present.
 */
import { describe, expect, it } from 'vitest';
import { ORGANISATION_KINDS } from '../../schema';
import {
  CONTACT_SOURCE,
  endReasonCode,
  hubPersonId,
  ssdRowsOf,
  toEpisodeRecord,
  toPersonMergeRecord,
  toPersonRecord,
  type PersonSource,
} from './mapping';
import { loadSsdDefinitions, ssdRecordValidator, validateSsdRow } from './ssd-validator';

const defs = loadSsdDefinitions();
const validate = ssdRecordValidator(defs);

const involvement = {
  id: '5f0c8c1e-0000-4000-8000-000000000010',
  kind: 'lead_practitioner',
  startedOn: '2026-01-05',
  endedOn: null,
  organisationId: '5f0c8c1e-0000-4000-8000-000000000040',
  organisationName: 'Synthetic Primary',
  practitioner: {
    id: '5f0c8c1e-0000-4000-8000-000000000011',
    subject: 'lp-1',
    displayName: 'Practitioner One',
    roles: ['lead_practitioner'],
  },
};

const person: PersonSource = {
  child: {
    id: '5f0c8c1e-0000-4000-8000-000000000001',
    givenName: 'Synthetic',
    familyName: 'Child',
    dateOfBirth: '2016-03-15',
    expectedDate: null,
    gender: 'female',
    nhsNumber: '9434765919',
    upn: 'B801200005001',
    liquidLogicPersonId: null,
    ssdPersonNumber: 42,
    hasSend: true,
    addressLine: '1 Synthetic Row',
    postcode: 'le1  1aa',
    createdAt: new Date('2026-01-02T10:00:00Z'),
  },
  mergedIds: [{ id: '5f0c8c1e-0000-4000-8000-000000000002', mergedOn: '2026-02-01' }],
  involvements: [
    involvement,
    { ...involvement, id: '5f0c8c1e-0000-4000-8000-000000000012', kind: 'on_roll', practitioner: null },
  ],
  household: [
    { relation: 'parent', familyMemberId: '5f0c8c1e-0000-4000-8000-000000000020', siblingPersonId: null },
    { relation: 'sibling', familyMemberId: null, siblingPersonId: 'LL0000042' },
  ],
  contacts: [
    {
      id: '5f0c8c1e-0000-4000-8000-000000000050',
      referralDate: '2026-01-03',
      referrerOrganisationKind: 'school',
      status: 'accepted',
    },
    {
      id: '5f0c8c1e-0000-4000-8000-000000000051',
      referralDate: '2025-06-01',
      referrerOrganisationKind: 'health',
      status: 'declined',
    },
  ],
  missing: [
    {
      id: '5f0c8c1e-0000-4000-8000-000000000060',
      startedAt: new Date('2026-02-10T21:00:00Z'),
      returnedAt: new Date('2026-02-11T08:00:00Z'),
      interviewOfferedAt: new Date('2026-02-11T12:00:00Z'),
      interviewAcceptedAt: new Date('2026-02-11T13:00:00Z'),
      interviewDeclinedAt: null,
    },
    {
      id: '5f0c8c1e-0000-4000-8000-000000000061',
      startedAt: new Date('2026-03-01T20:00:00Z'),
      returnedAt: null,
      interviewOfferedAt: null,
      interviewAcceptedAt: null,
      interviewDeclinedAt: null,
    },
  ],
};

describe('outbound records match the SSD definitions', () => {
  it('loads the SSD objects the mapping uses', () => {
    for (const object of [
      'ssd_person',
      'ssd_linked_identifiers',
      'ssd_address',
      'ssd_family',
      'ssd_involvements',
      'ssd_professionals',
      'ssd_department',
      'ssd_contacts',
      'ssd_missing',
      'ssd_send',
      'ssd_early_help_episodes',
      'ssd_cin_episodes',
      'ssd_cp_plans',
      'ssd_cla_episodes',
    ]) {
      expect(defs.has(object), object).toBe(true);
    }
    expect(defs.get('ssd_person')!.get('pers_person_id')).toMatchObject({ type: 'nvarchar', required: true });
  });

  it('person: ssd_person, linked identifiers, address, family, involvements, professionals', () => {
    const record = toPersonRecord(person);
    expect(validate('person', record)).toEqual([]);
    const objects = ssdRowsOf(record).map((r) => r.object);
    for (const o of [
      'ssd_person',
      'ssd_linked_identifiers',
      'ssd_address',
      'ssd_family',
      'ssd_involvements',
      'ssd_professionals',
      'ssd_department',
      'ssd_contacts',
      'ssd_missing',
      'ssd_send',
    ])
      expect(objects).toContain(o);
    expect(record.person).toMatchObject({
      pers_person_id: 'EHP0000042',
      pers_legacy_id: person.child.id,
      pers_sex: 'F',
      pers_gender: '02',
      pers_common_child_id: '9434765919',
      pers_send_flag: 'Y',
    });
    expect(record.identifiers.map((i) => [i.link_identifier_type, i.link_valid_to_date])).toEqual([
      ['Case Number', null],
      ['NHS Number', null],
      ['Unique Pupil Number', null],
      ['Case Number', '2026-02-01'],
    ]);
    // SSD types only; the postcode without its space, as the SSD formats it.
    expect(record.address?.addr_address_postcode).toBe('LE11AA');
    expect(record.family.map((f) => f.fami_person_id)).toEqual(['EHP0000042', 'LL0000042']);
    // The SSD's pers_person_id is at most 20 characters, whatever the sequence reaches.
    expect(hubPersonId(Number.MAX_SAFE_INTEGER).length).toBeLessThanOrEqual(20);
    // invo_professional_team references ssd_department.dept_team_id, and the department is sent.
    expect(record.involvements.map((i) => i.invo_professional_team)).toEqual([
      involvement.organisationId,
      involvement.organisationId,
    ]);
    expect(record.departments).toEqual([
      {
        dept_team_id: involvement.organisationId,
        dept_team_name: 'Synthetic Primary',
        dept_team_parent_id: null,
        dept_team_parent_name: null,
      },
    ]);
    expect(
      record.contacts.map((c) => [
        c.cont_contact_date,
        c.cont_contact_source_code,
        JSON.parse(c.cont_contact_outcome_json).NFA_FLAG,
      ]),
    ).toEqual([
      ['2026-01-03', '2A', ''],
      ['2025-06-01', '3F', 'Y'],
    ]);
    expect(Object.keys(JSON.parse(record.contacts[0]!.cont_contact_outcome_json))).toHaveLength(10);
    expect(record.missing).toEqual([
      expect.objectContaining({
        miss_missing_episode_start_date: '2026-02-10',
        miss_missing_episode_end_date: '2026-02-11',
        miss_missing_episode_type: 'Missing',
        miss_missing_rhi_offered: 'Y',
        miss_missing_rhi_accepted: 'Y',
      }),
      expect.objectContaining({
        miss_missing_episode_end_date: null,
        miss_missing_rhi_offered: null,
        miss_missing_rhi_accepted: null,
      }),
    ]);
    expect(record.send).toEqual({
      send_table_id: `${person.child.id}:send`,
      send_person_id: 'EHP0000042',
      send_upn: 'B801200005001',
      send_uln: null,
      send_upn_unknown: null,
    });
  });

  it('codes a contact from every kind of referring organisation as the CIN census does', () => {
    for (const kind of ORGANISATION_KINDS) expect(CONTACT_SOURCE[kind][0], kind).toMatch(/^(\d+|\d[A-F])$/);
    expect(CONTACT_SOURCE.college[0]).toBe('2B');
    expect(CONTACT_SOURCE.early_years[0]).toBe('2B');
    expect(CONTACT_SOURCE.youth_justice[0]).toBe('7');
    expect(CONTACT_SOURCE.adult_services[0]).toBe('5B');
  });

  it('an unborn baby is sent by expected date; Liquid Logic’s id is used once known', () => {
    const record = toPersonRecord({
      ...person,
      child: { ...person.child, dateOfBirth: null, expectedDate: '2026-09-01', liquidLogicPersonId: 'LL0000007' },
      household: [],
    });
    expect(validate('person', record)).toEqual([]);
    expect(record.person).toMatchObject({
      pers_person_id: 'LL0000007',
      pers_dob: null,
      pers_expected_dob: '2026-09-01',
      pers_legacy_id: person.child.id,
    });
    expect(record.family).toEqual([]);
    // ssd_send only with a UPN (the SSD requires one) and the SEND flag.
    expect(toPersonRecord({ ...person, child: { ...person.child, upn: null } }).send).toBeNull();
    expect(toPersonRecord({ ...person, child: { ...person.child, hasSend: false } }).send).toBeNull();
  });

  it('early help episode, open and closed with each end reason', () => {
    const base = {
      id: '5f0c8c1e-0000-4000-8000-000000000030',
      personId: 'LL0000007',
      startedOn: '2026-01-05',
      status: 'plan_in_place',
      needCategories: ['school_attendance', 'family_relationships'],
      organisationName: 'Early Help Central',
      workerId: involvement.practitioner.id,
      involvements: [involvement],
    };
    const open = toEpisodeRecord({ ...base, closedOn: null, closureOutcome: null });
    expect(validate('early_help_episode', open)).toEqual([]);
    expect(open.episode).toMatchObject({
      earl_episode_end_date: null,
      earl_episode_end_reason: null,
      earl_episode_reason: 'family_relationships,school_attendance',
    });
    for (const [outcome, code] of [
      ['needs_met', 'OUTCOMES_MET'],
      ['stepped_up', 'STEP_UP'],
      ['no_further_action', 'NFA'],
      ['referred_to_masp', 'MASP'],
    ] as const) {
      const closed = toEpisodeRecord({ ...base, closedOn: '2026-05-01', closureOutcome: outcome });
      expect(validate('early_help_episode', closed)).toEqual([]);
      expect(closed.episode.earl_episode_end_reason).toBe(code);
      expect(endReasonCode(outcome)).toBe(code);
    }
  });

  it('person merge carries the survivor’s identifiers with the retired id ended', () => {
    const record = toPersonMergeRecord(
      { id: '5f0c8c1e-0000-4000-8000-000000000002', liquidLogicPersonId: 'LL0000003', ssdPersonNumber: 7 },
      person,
      '2026-02-01',
    );
    expect(validate('person_merge', record)).toEqual([]);
    expect(record).toMatchObject({ fromPersonId: 'LL0000003', intoPersonId: hubPersonId(42) });
  });

  it('the validator catches a missing required field, a wrong type, an unknown field and a code outside its set', () => {
    expect(validateSsdRow(defs, 'ssd_person', { pers_forename: 'X' })).toContain('ssd_person.pers_person_id: required');
    expect(
      validateSsdRow(defs, 'ssd_early_help_episodes', {
        earl_episode_id: 'E1',
        earl_person_id: 'P1',
        earl_episode_start_date: '05/01/2026',
      }),
    ).toContain('ssd_early_help_episodes.earl_episode_start_date: not a valid datetime');
    expect(validateSsdRow(defs, 'ssd_person', { pers_person_id: 'P1', pers_favourite_colour: 'red' })).toContain(
      'ssd_person.pers_favourite_colour: not in the SSD object',
    );
    expect(
      validateSsdRow(defs, 'ssd_professionals', { prof_professional_id: 'W1', prof_professional_caseload: 'ten' }),
    ).toContain('ssd_professionals.prof_professional_caseload: not a valid int');
    expect(validateSsdRow(defs, 'ssd_person', { pers_person_id: 'P1', pers_sex: 'female' })).toEqual([
      'ssd_person.pers_sex: not in the SSD code set',
    ]);
    expect(validateSsdRow(defs, 'ssd_person', { pers_person_id: 'P1', pers_send_flag: 'Yes' })).toEqual([
      'ssd_person.pers_send_flag: not a valid nchar',
    ]);
    expect(
      validateSsdRow(defs, 'ssd_cin_episodes', {
        cine_referral_id: 'R1',
        cine_person_id: 'LL1',
        cine_close_reason: 'RC10',
      }),
    ).toEqual(['ssd_cin_episodes.cine_close_reason: not in the SSD code set']);
    expect(
      validateSsdRow(defs, 'ssd_cla_episodes', {
        clae_cla_episode_id: 'C1',
        clae_person_id: 'LL1',
        clae_cla_episode_ceased_reason: 'E4B',
      }),
    ).toEqual([]);
  });

  it('inbound social care records use SSD names (CIN, CP plan, CLA)', () => {
    expect(
      validateSsdRow(defs, 'ssd_cin_episodes', {
        cine_referral_id: 'R1',
        cine_person_id: 'LL1',
        cine_referral_date: '2026-01-01',
        cine_close_date: null,
        cine_close_reason: null,
      }),
    ).toEqual([]);
    expect(
      validateSsdRow(defs, 'ssd_cp_plans', {
        cppl_cp_plan_id: 'CP1',
        cppl_person_id: 'LL1',
        cppl_cp_plan_start_date: '2026-01-01',
        cppl_cp_plan_end_date: null,
      }),
    ).toEqual([]);
    expect(
      validateSsdRow(defs, 'ssd_cla_episodes', {
        clae_cla_episode_id: 'C1',
        clae_person_id: 'LL1',
        clae_cla_episode_start_date: '2026-01-01',
        clae_cla_episode_ceased_date: null,
        clae_cla_episode_ceased_reason: null,
      }),
    ).toEqual([]);
  });
});
