/**
 * The repository's own schema of the Standard Safeguarding Dataset (SSD) objects the Liquid Logic
 * adapter sends or receives: every field of each object (so a misspelt or invented field name is
 * caught), its SSD type, whether the SSD marks it required, its SSD item reference, and the code set
 * where the SSD gives a closed one for a field the adapter fills or reads.
 *
 * Written from the published SSD object definitions (data-to-insight/ssd-data-model, folder
 * data/objects/, commit 4987c73; the definitions carry no release number of their own, so the commit
 * is the version). Descriptions and guidance are not reproduced; the item reference leads to them.
 * When the SSD moves on, update this file and `SSD_SOURCE` together; `schema.reference.spec.ts`
 * compares this schema with a local copy of the definitions when one is given in SSD_REFERENCE_DIR.
 */

export const SSD_SOURCE = {
  repository: 'https://github.com/data-to-insight/ssd-data-model',
  folder: 'data/objects',
  commit: '4987c73',
} as const;

/** SSD column types as the definitions spell them (lower-cased). */
export type SsdType = 'nvarchar' | 'nchar' | 'datetime' | 'int' | 'float';

export interface SsdField {
  readonly type: SsdType;
  readonly required: boolean;
  /** The SSD's item reference, e.g. PERS001A. */
  readonly itemRef: string;
  /** Closed code set, when the SSD gives one and the adapter fills or reads the field. */
  readonly codes?: readonly string[];
  /** Longest value the SSD's guidance allows, where it states one. */
  readonly maxLength?: number;
}

export type SsdObject = Readonly<Record<string, SsdField>>;

const text = (itemRef: string, required = false): SsdField => ({ type: 'nvarchar', required, itemRef });
const date = (itemRef: string): SsdField => ({ type: 'datetime', required: false, itemRef });
const coded = (itemRef: string, type: SsdType, codes: readonly string[]): SsdField => ({
  type,
  required: false,
  itemRef,
  codes,
});
const YES_NO = ['Y', 'N'] as const;

export const SSD_SCHEMA = {
  ssd_person: {
    /** "no longer than 20 characters" (the guidance). */
    pers_person_id: { ...text('PERS001A', true), maxLength: 20 },
    pers_forename: text('PERS015A'),
    pers_surname: text('PERS016A'),
    /** F female, M male, U unknown. */
    pers_sex: coded('PERS002A', 'nvarchar', ['F', 'M', 'U']),
    /** 00 not known, 01 male, 02 female, 09 self-described (local codes 10–99 are sent as 09). */
    pers_gender: coded('PERS003A', 'nvarchar', ['00', '01', '02', '09']),
    pers_ethnicity: text('PERS004A'),
    pers_dob: date('PERS005A'),
    pers_common_child_id: text('PERS013A'),
    pers_legacy_id: text('PERS014A'),
    pers_upn_unknown: text('PERS007A'),
    /** Y has an EHC plan, N does not. */
    pers_send_flag: coded('PERS008A', 'nchar', YES_NO),
    pers_expected_dob: date('PERS009A'),
    pers_death_date: date('PERS010A'),
    pers_is_mother: { type: 'nchar', required: false, itemRef: 'PERS011A' },
    pers_nationality: text('PERS012A'),
  },
  ssd_linked_identifiers: {
    link_table_id: text('LINK001A'),
    link_person_id: text('LINK002A'),
    /** A placeholder list in the SSD ('Unique Pupil Number', 'NHS Number', …), not a closed set. */
    link_identifier_type: text('LINK003A'),
    link_identifier_value: text('LINK004A'),
    link_valid_from_date: date('LINK005A'),
    link_valid_to_date: date('LINK006A'),
  },
  ssd_address: {
    addr_table_id: text('ADDR007A', true),
    /** JSON text with the SSD's fixed keys ROOM … NORTHING. */
    addr_address_json: text('ADDR001A', true),
    addr_person_id: text('ADDR002A'),
    addr_address_type: text('ADDR003A'),
    addr_address_start_date: date('ADDR004A'),
    addr_address_end_date: date('ADDR005A'),
    addr_address_postcode: text('ADDR006A'),
  },
  ssd_family: {
    fami_table_id: text('FAMI003A'),
    fami_family_id: text('FAMI001A', true),
    fami_person_id: text('FAMI002A', true),
  },
  ssd_involvements: {
    invo_involvements_id: text('INVO005A'),
    invo_professional_id: text('INVO006A'),
    invo_professional_role_id: text('INVO007A'),
    /** Foreign key to ssd_department.dept_team_id. */
    invo_professional_team: text('INVO009A'),
    invo_involvement_start_date: date('INVO002A'),
    invo_involvement_end_date: date('INVO003A'),
    invo_worker_change_reason: text('INVO004A'),
    invo_person_id: text('INVO011A'),
    invo_referral_id: text('INVO010A'),
  },
  ssd_professionals: {
    prof_professional_id: text('PROF001A'),
    prof_staff_id: text('PROF010A'),
    prof_professional_name: text('PROF013A'),
    prof_social_worker_registration_no: text('PROF002A'),
    prof_professional_job_title: text('PROF007A'),
    prof_professional_caseload: { type: 'int', required: false, itemRef: 'PROF008A' },
    prof_professional_department: text('PROF012A'),
    prof_full_time_equivalency: { type: 'float', required: false, itemRef: 'PROF011A' },
    prof_agency_worker_flag: { type: 'nchar', required: false, itemRef: 'PROF014A' },
  },
  ssd_department: {
    dept_team_id: text('DEPT1001A'),
    dept_team_name: text('DEPT1002A'),
    dept_team_parent_id: text('DEPT1003A'),
    dept_team_parent_name: text('DEPT1004A'),
  },
  ssd_contacts: {
    cont_contact_id: text('CONT001A', true),
    cont_person_id: text('CONT002A', true),
    cont_contact_date: date('CONT003A'),
    cont_contact_source_code: text('CONT004A'),
    cont_contact_source_desc: text('CONT006A'),
    /** JSON text with the SSD's fixed keys NEW_REFERRAL_FLAG … OTHER_OUTCOMES_EXIST_FLAG. */
    cont_contact_outcome_json: text('CONT005A'),
  },
  ssd_missing: {
    miss_table_id: text('MISS001A', true),
    miss_person_id: text('MISS002A'),
    miss_missing_episode_start_date: date('MISS003A'),
    /** Missing (whereabouts unknown) or Away (from placement without authorisation). */
    miss_missing_episode_type: coded('MISS004A', 'nvarchar', ['Missing', 'Away']),
    miss_missing_episode_end_date: date('MISS005A'),
    /** Y/N/NA (the guidance's list; not a code set the comparison can find word by word). */
    miss_missing_rhi_offered: text('MISS006A'),
    miss_missing_rhi_accepted: text('MISS007A'),
  },
  ssd_send: {
    send_table_id: text('SEND001A', true),
    send_upn: text('SEND002A', true),
    send_uln: text('SEND003A'),
    send_upn_unknown: text('SEND004A'),
    send_person_id: text('SEND005A', true),
  },
  ssd_early_help_episodes: {
    earl_episode_id: text('EARL001A', true),
    earl_person_id: text('EARL002A', true),
    earl_episode_start_date: date('EARL003A'),
    earl_episode_end_date: date('EARL004A'),
    earl_episode_reason: text('EARL005A'),
    /** Open in the SSD ("e.g. Outcomes met / Step-up / NFA"); the hub's codes are in the README. */
    earl_episode_end_reason: text('EARL006A'),
    earl_episode_organisation: text('EARL007A'),
    earl_episode_worker_id: text('EARL008A'),
  },
  ssd_cin_episodes: {
    cine_referral_id: text('CINE001A', true),
    cine_person_id: text('CINE002A', true),
    cine_referral_date: date('CINE003A'),
    cine_cin_primary_need_code: text('CINE010A'),
    cine_referral_source_code: text('CINE004A'),
    cine_referral_source_desc: text('CINE012A'),
    cine_referral_outcome_json: text('CINE005A'),
    cine_referral_nfa: { type: 'nchar', required: false, itemRef: 'CINE011A' },
    /** RC1 adopted … RC9 closed after assessment, referred to early help. */
    cine_close_reason: coded('CINE006A', 'nvarchar', ['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9']),
    cine_close_date: date('CINE007A'),
    cine_referral_team: text('CINE008A'),
    cine_referral_worker_id: text('CINE009A'),
  },
  ssd_cp_plans: {
    cppl_cp_plan_id: text('CPPL001A', true),
    cppl_referral_id: text('CPPL007A'),
    cppl_icpc_id: text('CPPL008A'),
    cppl_person_id: text('CPPL002A', true),
    cppl_cp_plan_start_date: date('CPPL003A'),
    cppl_cp_plan_end_date: date('CPPL004A'),
    cppl_cp_plan_initial_category: text('CPPL009A'),
    cppl_cp_plan_ola: { type: 'nchar', required: false, itemRef: 'CPPL011A' },
    cppl_cp_plan_latest_category: text('CPPL010A'),
  },
  ssd_cla_episodes: {
    clae_cla_episode_id: text('CLAE001A', true),
    clae_person_id: text('CLAE002A', true),
    clae_cla_episode_start_date: date('CLAE003A'),
    clae_cla_episode_start_reason: text('CLAE004A'),
    clae_cla_primary_need_code: text('CLAE009A'),
    clae_cla_episode_ceased_date: date('CLAE005A'),
    /** X1 new episode the same day, E11–E48 and E5–E9 the destinations (SSD item CLAE006A). */
    clae_cla_episode_ceased_reason: coded('CLAE006A', 'nvarchar', [
      'X1',
      'E11',
      'E12',
      'E2',
      'E3',
      'E4A',
      'E4B',
      'E13',
      'E41',
      'E45',
      'E46',
      'E47',
      'E48',
      'E5',
      'E6',
      'E7',
      'E9',
      'E14',
      'E15',
      'E16',
      'E17',
      'E8',
    ]),
    clae_cla_id: text('CLAE010A'),
    clae_referral_id: text('CLAE011A'),
    clae_cla_placement_id: text('CLAE013A'),
    clae_entered_care_date: date('CLAE014A'),
    clae_cla_last_iro_contact_date: date('CLAE012A'),
  },
} as const satisfies Record<string, SsdObject>;

export type SsdObjectName = keyof typeof SSD_SCHEMA;
