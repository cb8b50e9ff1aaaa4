/**
 * The records the hub sends to (and receives from) Liquid Logic, named after the public Standard
 * Safeguarding Dataset objects (schema in ./ssd/schema.ts) that Liquid Logic's warehouse holds. Only
 * the fields the hub knows are listed; every name here must exist in the SSD object of the same
 * name (the mapping tests check this against the schema). Dates are ISO `YYYY-MM-DD` (SSD `datetime`).
 *
 * Workflow steps the SSD has no object for (TAF meetings, plans, reviews, MASP, step up/down) are
 * Early Help Module records (`ehm_*`), keyed by the SSD episode and person ids.
 */

export interface SsdPerson {
  pers_person_id: string;
  pers_forename: string;
  pers_surname: string;
  /** F, M, U */
  pers_sex: string;
  /** 00 not known, 01 male, 02 female, 09 self-described */
  pers_gender: string;
  pers_dob: string | null;
  pers_expected_dob: string | null;
  /** NHS number. */
  pers_common_child_id: string | null;
  /** The hub's own person id (the SSD's slot for a second system's id). */
  pers_legacy_id: string;
  /** Y/N: the hub's SEND flag (an EHC plan or other SEND). */
  pers_send_flag: string;
}

export interface SsdLinkedIdentifier {
  link_table_id: string;
  link_person_id: string;
  /** From the SSD list: 'Unique Pupil Number', 'NHS Number', 'Case Number' (the hub's id). */
  link_identifier_type: string;
  link_identifier_value: string;
  link_valid_from_date: string | null;
  link_valid_to_date: string | null;
}

export interface SsdAddress {
  addr_table_id: string;
  addr_person_id: string;
  /** JSON text, SSD standard keys (ROOM … NORTHING). */
  addr_address_json: string;
  addr_address_type: string;
  addr_address_postcode: string | null;
}

export interface SsdFamily {
  fami_table_id: string;
  fami_family_id: string;
  fami_person_id: string;
}

export interface SsdInvolvement {
  invo_involvements_id: string;
  invo_professional_id: string | null;
  invo_professional_role_id: string;
  /** `ssd_department.dept_team_id`: the organisation's id. */
  invo_professional_team: string;
  invo_involvement_start_date: string;
  invo_involvement_end_date: string | null;
  invo_person_id: string;
}

export interface SsdProfessional {
  prof_professional_id: string;
  prof_staff_id: string;
  prof_professional_name: string;
  prof_professional_job_title: string;
  prof_professional_department: string;
}

/** A team or organisation (the hub's organisations), referenced by `invo_professional_team`. */
export interface SsdDepartment {
  dept_team_id: string;
  dept_team_name: string;
  dept_team_parent_id: string | null;
  dept_team_parent_name: string | null;
}

/** A referral the hub received, as the SSD's contact. */
export interface SsdContact {
  cont_contact_id: string;
  cont_person_id: string;
  cont_contact_date: string;
  /** CIN census referral source code (see mapping.ts). */
  cont_contact_source_code: string;
  cont_contact_source_desc: string;
  /** JSON text with every SSD outcome key. */
  cont_contact_outcome_json: string;
}

export interface SsdMissing {
  miss_table_id: string;
  miss_person_id: string;
  miss_missing_episode_start_date: string;
  miss_missing_episode_end_date: string | null;
  /** Missing | Away */
  miss_missing_episode_type: string;
  /** Y / N / NA, null while not known. */
  miss_missing_rhi_offered: string | null;
  miss_missing_rhi_accepted: string | null;
}

/** A child with SEND and a UPN (the SSD requires the UPN). */
export interface SsdSend {
  send_table_id: string;
  send_person_id: string;
  send_upn: string;
  send_uln: string | null;
  send_upn_unknown: string | null;
}

export interface SsdEarlyHelpEpisode {
  earl_episode_id: string;
  earl_person_id: string;
  earl_episode_start_date: string;
  earl_episode_end_date: string | null;
  /** Reason for involvement: the identified need categories, comma separated. */
  earl_episode_reason: string | null;
  /** OUTCOMES_MET, STEP_UP, NFA, MASP (see README). */
  earl_episode_end_reason: string | null;
  earl_episode_organisation: string;
  earl_episode_worker_id: string | null;
}

export interface SsdCinEpisode {
  cine_referral_id: string;
  cine_person_id: string;
  cine_referral_date: string | null;
  cine_close_date: string | null;
  cine_close_reason: string | null;
}

export interface SsdCpPlan {
  cppl_cp_plan_id: string;
  cppl_person_id: string;
  cppl_cp_plan_start_date: string | null;
  cppl_cp_plan_end_date: string | null;
}

export interface SsdClaEpisode {
  clae_cla_episode_id: string;
  clae_person_id: string;
  clae_cla_episode_start_date: string | null;
  clae_cla_episode_ceased_date: string | null;
  clae_cla_episode_ceased_reason: string | null;
}

/** Person with everything Liquid Logic files under it. */
export interface PersonRecord {
  person: SsdPerson;
  identifiers: SsdLinkedIdentifier[];
  address: SsdAddress | null;
  family: SsdFamily[];
  involvements: SsdInvolvement[];
  professionals: SsdProfessional[];
  /** The organisations the involvements name. */
  departments: SsdDepartment[];
  contacts: SsdContact[];
  missing: SsdMissing[];
  send: SsdSend | null;
}

export interface PersonMergeRecord {
  /** The duplicate's person id (retired) and the survivor's. */
  fromPersonId: string;
  intoPersonId: string;
  mergedOn: string;
  /** The survivor's identifiers, the retired hub id ending on `mergedOn`. */
  identifiers: SsdLinkedIdentifier[];
}

export interface EarlyHelpEpisodeRecord {
  episode: SsdEarlyHelpEpisode;
  involvements: SsdInvolvement[];
  professionals: SsdProfessional[];
  departments: SsdDepartment[];
}

/** An Early Help Module step (no SSD object): keyed by episode and person. */
export interface EhmStepRecord {
  ehm_step_id: string;
  ehm_step_type: 'TAF_MEETING' | 'PLAN' | 'REVIEW' | 'MASP_OUTCOME' | 'STEP_UP' | 'STEP_DOWN';
  earl_episode_id: string | null;
  pers_person_id: string;
  ehm_step_date: string;
  /** Type-specific codes and ids only (never free text): see README. */
  ehm_details: Record<string, string | number | boolean | null | string[]>;
}

/**
 * A social worker's allocation to a person, as Liquid Logic holds it: an `ssd_involvements` row
 * naming the worker by the staff id the hub sends as `prof_staff_id` (the practitioner's subject).
 */
export interface SsdAllocation {
  invo_involvements_id: string;
  invo_person_id: string;
  invo_professional_staff_id: string;
  invo_involvement_start_date: string;
  invo_involvement_end_date: string | null;
}

/** A social care change Liquid Logic reports back (webhook or poll). */
export type LiquidLogicChange =
  | { id: string; type: 'cin_episode'; occurredAt: string; record: SsdCinEpisode }
  | { id: string; type: 'allocation'; occurredAt: string; record: SsdAllocation }
  | { id: string; type: 'cp_plan'; occurredAt: string; record: SsdCpPlan }
  | { id: string; type: 'cla_episode'; occurredAt: string; record: SsdClaEpisode }
  | { id: string; type: 'person_merge'; occurredAt: string; fromPersonId: string; intoPersonId: string };

export const CHANGE_TYPES = ['cin_episode', 'cp_plan', 'cla_episode', 'allocation', 'person_merge'] as const;
