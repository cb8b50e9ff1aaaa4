/**
 * Hub entities → Liquid Logic records (SSD names). Pure functions over rows the outbox record
 * builder loads at delivery time; README.md documents every field. Codes, ids and dates only in
 * the Early Help Module steps — the hub's free text (plans, rationales) stays in the hub.
 */
import type {
  EarlyHelpEpisodeRecord,
  EhmStepRecord,
  PersonMergeRecord,
  PersonRecord,
  SsdContact,
  SsdDepartment,
  SsdInvolvement,
  SsdLinkedIdentifier,
  SsdMissing,
  SsdProfessional,
} from './ssd-records';
import type { OrganisationKind } from '../../schema';
import { partnershipDate } from '../../src/shared/clock';

/** A child as the person id is derived from. */
export interface PersonKey {
  id: string;
  liquidLogicPersonId: string | null;
  ssdPersonNumber: number;
}

/** The hub rows a person record is built from. */
export interface PersonSource {
  child: PersonKey & {
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    expectedDate: string | null;
    gender: string;
    nhsNumber: string | null;
    upn: string | null;
    hasSend: boolean;
    addressLine: string | null;
    postcode: string | null;
    createdAt: Date;
  };
  /** Referrals received for the child: the SSD's contacts. */
  contacts?: ContactSource[];
  /** Missing episodes the hub holds. */
  missing?: MissingSource[];
  /** Hub ids merged into this child, with the merge date. */
  mergedIds: { id: string; mergedOn: string }[];
  involvements: InvolvementSource[];
  /** Parents/carers (family member ids) and siblings (their person ids), for ssd_family. */
  household: { relation: string; familyMemberId: string | null; siblingPersonId: string | null }[];
}

export interface ContactSource {
  id: string;
  referralDate: string;
  referrerOrganisationKind: string;
  status: string;
}

export interface MissingSource {
  id: string;
  startedAt: Date;
  returnedAt: Date | null;
  interviewOfferedAt: Date | null;
  interviewAcceptedAt: Date | null;
  interviewDeclinedAt: Date | null;
}

export interface InvolvementSource {
  id: string;
  kind: string;
  startedOn: string;
  endedOn: string | null;
  organisationId: string;
  organisationName: string;
  practitioner: { id: string; subject: string; displayName: string; roles: string[] } | null;
}

export interface EpisodeSource {
  id: string;
  personId: string;
  startedOn: string;
  closedOn: string | null;
  closureOutcome: string | null;
  status: string;
  needCategories: string[];
  organisationName: string;
  workerId: string | null;
  involvements: InvolvementSource[];
}

/** Liquid Logic's person id when it has given one, else the hub's (LL links it by `pers_legacy_id`). */
export function personIdOf(child: PersonKey): string {
  return child.liquidLogicPersonId ?? hubPersonId(child.ssdPersonNumber);
}

/**
 * The hub's person id in the SSD's 20 characters (`pers_person_id` is at most 20): `EHP` and the
 * child's person number, from a database sequence — unique by construction and never reused,
 * so no two children can collide the way a cut of their UUIDs could. The full UUID travels as
 * `pers_legacy_id`. Inbound changes naming it are resolved back (src/sync/inbound.repo.ts).
 */
export function hubPersonId(ssdPersonNumber: number): string {
  return `EHP${String(ssdPersonNumber).padStart(7, '0')}`;
}

export const HUB_PERSON_ID = /^EHP(\d{7,17})$/;

/** The short id the hub sent before it numbered persons (`EHH` + 17 hex digits of the UUID): still resolved inbound. */
export const LEGACY_HUB_PERSON_ID = /^EHH[0-9A-F]{17}$/;

/** The SSD's largest `pers_person_id`. */
export const SSD_PERSON_ID_MAX = 20;

/**
 * The hub's id as a linked identifier: the SSD's list of types (`link_identifier_type`) has no
 * entry for a partner system, and the hub's record id is the Early Help case reference.
 */
export const HUB_ID_LINK_TYPE = 'Case Number';

/** SSD `addr_address_postcode`: "auto-formatted to remove spaces for consistency" (upper case). */
export function ssdPostcode(postcode: string | null): string | null {
  return postcode ? postcode.replace(/\s+/g, '').toUpperCase() : null;
}

const SEX: Record<string, string> = { female: 'F', male: 'M', other: 'U', not_known: 'U' };
const GENDER: Record<string, string> = { female: '02', male: '01', other: '09', not_known: '00' };

export function toPersonRecord(source: PersonSource): PersonRecord {
  const { child } = source;
  const personId = personIdOf(child);
  const since = partnershipDate(child.createdAt);
  const identifiers: SsdLinkedIdentifier[] = [
    linked(personId, HUB_ID_LINK_TYPE, child.id, since, null),
    ...(child.nhsNumber ? [linked(personId, 'NHS Number', child.nhsNumber, since, null)] : []),
    ...(child.upn ? [linked(personId, 'Unique Pupil Number', child.upn, since, null)] : []),
    ...source.mergedIds.map((m) => linked(personId, HUB_ID_LINK_TYPE, m.id, null, m.mergedOn)),
  ];
  const familyId =
    source.household
      .filter((h) => h.familyMemberId)
      .map((h) => h.familyMemberId!)
      .sort()[0] ?? null;
  const family = familyId
    ? [personId, ...source.household.filter((h) => h.siblingPersonId).map((h) => h.siblingPersonId!)].map((member) => ({
        fami_table_id: `${familyId}:${member}`,
        fami_family_id: familyId,
        fami_person_id: member,
      }))
    : [];
  const departments = departmentsOf(source.involvements);
  return {
    person: {
      pers_person_id: personId,
      pers_forename: child.givenName,
      pers_surname: child.familyName,
      pers_sex: SEX[child.gender] ?? 'U',
      pers_gender: GENDER[child.gender] ?? '00',
      pers_dob: child.dateOfBirth,
      pers_expected_dob: child.dateOfBirth ? null : child.expectedDate,
      pers_common_child_id: child.nhsNumber,
      pers_legacy_id: child.id,
      pers_send_flag: child.hasSend ? 'Y' : 'N',
    },
    identifiers,
    address:
      child.addressLine || child.postcode
        ? {
            addr_table_id: `${child.id}:home`,
            addr_person_id: personId,
            addr_address_json: JSON.stringify({
              ROOM: '',
              FLOOR: '',
              FLAT: '',
              BUILDING: '',
              HOUSE: '',
              STREET: child.addressLine ?? '',
              TOWN: '',
              UPRN: '',
              EASTING: '',
              NORTHING: '',
            }),
            addr_address_type: 'Home',
            addr_address_postcode: ssdPostcode(child.postcode),
          }
        : null,
    family,
    ...involvementRecords(personId, source.involvements),
    departments,
    contacts: (source.contacts ?? []).map((c) => toContact(personId, c)),
    missing: (source.missing ?? []).map((m) => toMissing(personId, m)),
    send:
      child.hasSend && child.upn
        ? {
            send_table_id: `${child.id}:send`,
            send_person_id: personId,
            send_upn: child.upn,
            send_uln: null,
            send_upn_unknown: null,
          }
        : null,
  };
}

/**
 * CIN census referral source codes (the SSD's `cont_contact_source_code`) for the referrer's
 * kind of organisation: 2A schools, 2B other education services (FE colleges, early years
 * settings, education welfare), 3F other health services, 5A social care, 5B the council's other
 * services (adult services), 5D early help, 6 police, 7 another legal agency (youth justice),
 * 8 other. Keyed by every kind, so a new kind cannot reach the SSD as "other" unnoticed.
 */
export const CONTACT_SOURCE: Readonly<Record<OrganisationKind, readonly [code: string, desc: string]>> = {
  school: ['2A', 'Schools'],
  college: ['2B', 'Education services'],
  early_years: ['2B', 'Education services'],
  education_welfare: ['2B', 'Education services'],
  health: ['3F', 'Health services: other'],
  police: ['6', 'Police'],
  youth_justice: ['7', 'Other legal agency'],
  council_early_help: ['5D', 'LA services: early help'],
  social_care: ['5A', 'LA services: social care'],
  adult_services: ['5B', 'LA services: other internal'],
  jobcentre_plus: ['8', 'Other'],
  voluntary: ['8', 'Other'],
  other: ['8', 'Other'],
};

/** The SSD's contact outcome keys, every one present whatever the data. */
const CONTACT_OUTCOME_KEYS = [
  'NEW_REFERRAL_FLAG',
  'EXISTING_REFERRAL_FLAG',
  'CP_ENQUIRY_FLAG',
  'NFA_FLAG',
  'NON_AGENCY_ADOPTION_FLAG',
  'PRIVATE_FOSTERING_FLAG',
  'ADVICE_FLAG',
  'MISSING_FLAG',
  'OLA_CP_FLAG',
  'OTHER_OUTCOMES_EXIST_FLAG',
] as const;

/** A referral to the Early Help service as the SSD's contact: declined is NFA, accepted is an outcome outside social care. */
function toContact(personId: string, c: ContactSource): SsdContact {
  const [code, desc] =
    (CONTACT_SOURCE as Record<string, readonly [string, string] | undefined>)[c.referrerOrganisationKind] ??
    CONTACT_SOURCE.other;
  const outcome: Record<string, string> = Object.fromEntries(CONTACT_OUTCOME_KEYS.map((k) => [k, '']));
  if (c.status === 'declined') outcome.NFA_FLAG = 'Y';
  if (c.status === 'accepted') outcome.OTHER_OUTCOMES_EXIST_FLAG = 'Y';
  return {
    cont_contact_id: c.id,
    cont_person_id: personId,
    cont_contact_date: c.referralDate,
    cont_contact_source_code: code,
    cont_contact_source_desc: desc,
    cont_contact_outcome_json: JSON.stringify(outcome),
  };
}

/** Y/N/NA as the SSD records a return interview; null while it cannot be known yet. */
function toMissing(personId: string, m: MissingSource): SsdMissing {
  return {
    miss_table_id: m.id,
    miss_person_id: personId,
    miss_missing_episode_start_date: partnershipDate(m.startedAt),
    miss_missing_episode_end_date: m.returnedAt ? partnershipDate(m.returnedAt) : null,
    // The hub records children missing (whereabouts unknown), not "away from placement".
    miss_missing_episode_type: 'Missing',
    miss_missing_rhi_offered: m.interviewOfferedAt ? 'Y' : m.returnedAt ? 'N' : null,
    miss_missing_rhi_accepted: m.interviewAcceptedAt
      ? 'Y'
      : m.interviewDeclinedAt
        ? 'N'
        : m.interviewOfferedAt
          ? null
          : m.returnedAt
            ? 'NA'
            : null,
  };
}

/** One `ssd_department` per organisation the involvements name (`invo_professional_team` references it). */
function departmentsOf(rows: InvolvementSource[]): SsdDepartment[] {
  const byId = new Map(rows.map((r) => [r.organisationId, r.organisationName]));
  return [...byId]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, name]) => ({
      dept_team_id: id,
      dept_team_name: name,
      dept_team_parent_id: null,
      dept_team_parent_name: null,
    }));
}

export function toPersonMergeRecord(from: PersonKey, into: PersonSource, mergedOn: string): PersonMergeRecord {
  const survivor = toPersonRecord(into);
  return {
    fromPersonId: personIdOf(from),
    intoPersonId: survivor.person.pers_person_id,
    mergedOn,
    identifiers: survivor.identifiers,
  };
}

/** Closure outcomes as the workflow records them → SSD end reason codes ("Outcomes met / Step-up / NFA"). */
export function endReasonCode(outcome: string | null): string | null {
  if (!outcome) return null;
  const o = outcome.toLowerCase();
  if (/(needs|outcomes)_?met|^met$/.test(o)) return 'OUTCOMES_MET';
  if (/step(ped)?_?up|das|social_care|cin|child_protection/.test(o)) return 'STEP_UP';
  if (/masp/.test(o)) return 'MASP';
  if (/no_?further|nfa|declined|disengag|withdraw|moved/.test(o)) return 'NFA';
  return o
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .slice(0, 40);
}

export function toEpisodeRecord(source: EpisodeSource): EarlyHelpEpisodeRecord {
  return {
    episode: {
      earl_episode_id: source.id,
      earl_person_id: source.personId,
      earl_episode_start_date: source.startedOn,
      earl_episode_end_date: source.closedOn,
      earl_episode_reason: source.needCategories.length ? [...new Set(source.needCategories)].sort().join(',') : null,
      earl_episode_end_reason: source.closedOn ? (endReasonCode(source.closureOutcome) ?? 'NFA') : null,
      earl_episode_organisation: source.organisationName,
      earl_episode_worker_id: source.workerId,
    },
    ...involvementRecords(source.personId, source.involvements),
    departments: departmentsOf(source.involvements),
  };
}

export function toStepRecord(
  type: EhmStepRecord['ehm_step_type'],
  stepId: string,
  episodeId: string | null,
  personId: string,
  date: string,
  details: EhmStepRecord['ehm_details'],
): EhmStepRecord {
  return {
    ehm_step_id: stepId,
    ehm_step_type: type,
    earl_episode_id: episodeId,
    pers_person_id: personId,
    ehm_step_date: date,
    ehm_details: details,
  };
}

function involvementRecords(
  personId: string,
  rows: InvolvementSource[],
): { involvements: SsdInvolvement[]; professionals: SsdProfessional[] } {
  const professionals = new Map<string, SsdProfessional>();
  const involvements = rows.map((row) => {
    if (row.practitioner) {
      professionals.set(row.practitioner.id, {
        prof_professional_id: row.practitioner.id,
        prof_staff_id: row.practitioner.subject,
        prof_professional_name: row.practitioner.displayName,
        prof_professional_job_title: row.practitioner.roles[0] ?? 'practitioner',
        prof_professional_department: row.organisationName,
      });
    }
    return {
      invo_involvements_id: row.id,
      invo_professional_id: row.practitioner?.id ?? null,
      invo_professional_role_id: row.kind.toUpperCase(),
      invo_professional_team: row.organisationId,
      invo_involvement_start_date: row.startedOn,
      invo_involvement_end_date: row.endedOn,
      invo_person_id: personId,
    };
  });
  return {
    involvements,
    professionals: [...professionals.values()].sort((a, b) =>
      a.prof_professional_id.localeCompare(b.prof_professional_id),
    ),
  };
}

function linked(
  personId: string,
  type: string,
  value: string,
  from: string | null,
  to: string | null,
): SsdLinkedIdentifier {
  return {
    link_table_id: `${personId}:${type}:${value}`,
    link_person_id: personId,
    link_identifier_type: type,
    link_identifier_value: value,
    link_valid_from_date: from,
    link_valid_to_date: to,
  };
}

/** The SSD object rows inside an outbound record, for validation against the SSD definitions. */
export function ssdRowsOf(record: unknown): { object: string; row: Record<string, unknown> }[] {
  const r = record as Record<string, any>;
  const out: { object: string; row: Record<string, unknown> }[] = [];
  const add = (object: string, rows: unknown) => {
    for (const row of Array.isArray(rows) ? rows : rows ? [rows] : [])
      out.push({ object, row: row as Record<string, unknown> });
  };
  add('ssd_person', r.person);
  add('ssd_early_help_episodes', r.episode);
  add('ssd_linked_identifiers', r.identifiers);
  add('ssd_address', r.address);
  add('ssd_family', r.family);
  add('ssd_involvements', r.involvements);
  add('ssd_professionals', r.professionals);
  add('ssd_department', r.departments);
  add('ssd_contacts', r.contacts);
  add('ssd_missing', r.missing);
  add('ssd_send', r.send);
  return out;
}
