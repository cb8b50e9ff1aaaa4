/**
 * Hub entities → Liquid Logic records (SSD names). Pure functions over rows the outbox record
 * builder loads at delivery time; README.md documents every field. Codes, ids and dates only in
 * the Early Help Module steps — the hub's free text (plans, rationales) stays in the hub.
 */
import type {
  EarlyHelpEpisodeRecord, EhmStepRecord, PersonMergeRecord, PersonRecord, SsdInvolvement, SsdLinkedIdentifier, SsdProfessional,
} from './ssd-records';
import { partnershipDate } from '../../src/shared/clock';

/** The hub rows a person record is built from. */
export interface PersonSource {
  child: {
    id: string; givenName: string; familyName: string; dateOfBirth: string | null; expectedDate: string | null; gender: string;
    nhsNumber: string | null; upn: string | null; liquidLogicPersonId: string | null; hasSend: boolean;
    addressLine: string | null; postcode: string | null; createdAt: Date;
  };
  /** Hub ids merged into this child, with the merge date. */
  mergedIds: { id: string; mergedOn: string }[];
  involvements: InvolvementSource[];
  /** Parents/carers (family member ids) and siblings (their person ids), for ssd_family. */
  household: { relation: string; familyMemberId: string | null; siblingPersonId: string | null }[];
}

export interface InvolvementSource {
  id: string; kind: string; startedOn: string; endedOn: string | null;
  organisationName: string;
  practitioner: { id: string; subject: string; displayName: string; roles: string[] } | null;
}

export interface EpisodeSource {
  id: string; personId: string; startedOn: string; closedOn: string | null; closureOutcome: string | null; status: string;
  needCategories: string[]; organisationName: string; workerId: string | null; involvements: InvolvementSource[];
}

/** Liquid Logic's person id when it has given one, else the hub id (LL links it by `pers_legacy_id`). */
export function personIdOf(child: { id: string; liquidLogicPersonId: string | null }): string {
  return child.liquidLogicPersonId ?? child.id;
}

const SEX: Record<string, string> = { female: 'F', male: 'M', other: 'U', not_known: 'U' };
const GENDER: Record<string, string> = { female: '02', male: '01', other: '09', not_known: '00' };

export function toPersonRecord(source: PersonSource): PersonRecord {
  const { child } = source;
  const personId = personIdOf(child);
  const since = partnershipDate(child.createdAt);
  const identifiers: SsdLinkedIdentifier[] = [
    linked(personId, 'Early Help Hub ID', child.id, since, null),
    ...(child.nhsNumber ? [linked(personId, 'NHS Number', child.nhsNumber, since, null)] : []),
    ...(child.upn ? [linked(personId, 'Unique Pupil Number', child.upn, since, null)] : []),
    ...source.mergedIds.map((m) => linked(personId, 'Early Help Hub ID', m.id, null, m.mergedOn)),
  ];
  const familyId = source.household.filter((h) => h.familyMemberId).map((h) => h.familyMemberId!).sort()[0] ?? null;
  const family = familyId
    ? [personId, ...source.household.filter((h) => h.siblingPersonId).map((h) => h.siblingPersonId!)]
      .map((member) => ({ fami_table_id: `${familyId}:${member}`, fami_family_id: familyId, fami_person_id: member }))
    : [];
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
    address: child.addressLine || child.postcode
      ? {
        addr_table_id: `${child.id}:home`,
        addr_person_id: personId,
        addr_address_json: JSON.stringify({ ROOM: '', FLOOR: '', FLAT: '', BUILDING: '', HOUSE: '', STREET: child.addressLine ?? '', TOWN: '', UPRN: '', EASTING: '', NORTHING: '' }),
        addr_address_type: 'Home',
        addr_address_postcode: child.postcode,
      }
      : null,
    family,
    ...involvementRecords(personId, source.involvements),
  };
}

export function toPersonMergeRecord(from: { id: string; liquidLogicPersonId: string | null }, into: PersonSource, mergedOn: string): PersonMergeRecord {
  const survivor = toPersonRecord(into);
  return { fromPersonId: personIdOf(from), intoPersonId: survivor.person.pers_person_id, mergedOn, identifiers: survivor.identifiers };
}

/** Closure outcomes as the workflow records them → SSD end reason codes ("Outcomes met / Step-up / NFA"). */
export function endReasonCode(outcome: string | null): string | null {
  if (!outcome) return null;
  const o = outcome.toLowerCase();
  if (/(needs|outcomes)_?met|^met$/.test(o)) return 'OUTCOMES_MET';
  if (/step(ped)?_?up|das|social_care|cin|child_protection/.test(o)) return 'STEP_UP';
  if (/masp/.test(o)) return 'MASP';
  if (/no_?further|nfa|declined|disengag|withdraw|moved/.test(o)) return 'NFA';
  return o.toUpperCase().replace(/[^A-Z0-9]+/g, '_').slice(0, 40);
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
  };
}

export function toStepRecord(
  type: EhmStepRecord['ehm_step_type'], stepId: string, episodeId: string | null, personId: string, date: string, details: EhmStepRecord['ehm_details'],
): EhmStepRecord {
  return { ehm_step_id: stepId, ehm_step_type: type, earl_episode_id: episodeId, pers_person_id: personId, ehm_step_date: date, ehm_details: details };
}

function involvementRecords(personId: string, rows: InvolvementSource[]): { involvements: SsdInvolvement[]; professionals: SsdProfessional[] } {
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
      invo_professional_team: row.organisationName,
      invo_involvement_start_date: row.startedOn,
      invo_involvement_end_date: row.endedOn,
      invo_person_id: personId,
    };
  });
  return { involvements, professionals: [...professionals.values()].sort((a, b) => a.prof_professional_id.localeCompare(b.prof_professional_id)) };
}

function linked(personId: string, type: string, value: string, from: string | null, to: string | null): SsdLinkedIdentifier {
  return { link_table_id: `${personId}:${type}:${value}`, link_person_id: personId, link_identifier_type: type, link_identifier_value: value, link_valid_from_date: from, link_valid_to_date: to };
}

/** The SSD object rows inside an outbound record, for validation against the SSD definitions. */
export function ssdRowsOf(record: unknown): { object: string; row: Record<string, unknown> }[] {
  const r = record as Record<string, any>;
  const out: { object: string; row: Record<string, unknown> }[] = [];
  const add = (object: string, rows: unknown) => {
    for (const row of Array.isArray(rows) ? rows : rows ? [rows] : []) out.push({ object, row: row as Record<string, unknown> });
  };
  add('ssd_person', r.person);
  add('ssd_early_help_episodes', r.episode);
  add('ssd_linked_identifiers', r.identifiers);
  add('ssd_address', r.address);
  add('ssd_family', r.family);
  add('ssd_involvements', r.involvements);
  add('ssd_professionals', r.professionals);
  return out;
}
