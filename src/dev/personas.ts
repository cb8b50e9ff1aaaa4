/**
 * The demo city's people, as the development token tools need them: who `npm start` prints tokens
 * for and whom `npm run token -- --persona` signs as. Development only, and no seed data: the
 * seeds build the city around these ids (seeds/demo-city.ts imports them from here), so nothing in
 * src/ has to reach into seeds/.
 */
import { createHash } from 'node:crypto';
import type { Role } from '../access/roles';

/** A stable UUID (v4 layout) for a seed key, so demo ids survive re-seeding. */
export function stableUuid(key: string): string {
  const h = createHash('sha256').update(`early-help-hub-demo:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const demoOrgId = (key: string) => stableUuid(`org:${key}`);
export const demoPractitionerId = (subject: string) => stableUuid(`practitioner:${subject}`);

export interface PersonaSeed {
  label: string;
  role: Role;
  orgKey: string;
  subject: string;
  displayName: string;
}

export const PERSONA_SEEDS: PersonaSeed[] = [
  {
    label: 'School DSL, Central Primary',
    role: 'school_dsl',
    orgKey: 'school-central-primary',
    subject: 'demo-school-dsl',
    displayName: 'Demo DSL',
  },
  {
    label: 'School staff, Central Primary',
    role: 'school_staff',
    orgKey: 'school-central-primary',
    subject: 'demo-school-staff',
    displayName: 'Demo Teacher',
  },
  {
    label: 'Health visitor, community trust',
    role: 'health_visitor',
    orgKey: 'health-trust',
    subject: 'demo-health-visitor',
    displayName: 'Demo Health Visitor',
  },
  {
    label: 'School nurse, community trust',
    role: 'school_nurse',
    orgKey: 'health-trust',
    subject: 'demo-school-nurse',
    displayName: 'Demo School Nurse',
  },
  {
    label: 'Health system (service account)',
    role: 'health_system',
    orgKey: 'health-trust',
    subject: 'svc-health-system',
    displayName: 'Health system',
  },
  {
    label: 'Police officer',
    role: 'police_officer',
    orgKey: 'police',
    subject: 'demo-police-officer',
    displayName: 'Demo Officer',
  },
  {
    label: 'Police system (service account)',
    role: 'police_system',
    orgKey: 'police',
    subject: 'svc-police-system',
    displayName: 'Police system',
  },
  {
    label: 'Voluntary sector worker',
    role: 'vcs_worker',
    orgKey: 'vcs-family-action',
    subject: 'demo-vcs-worker',
    displayName: 'Demo VCS Worker',
  },
  {
    label: 'Lead practitioner (Early Help)',
    role: 'lead_practitioner',
    orgKey: 'council-early-help',
    subject: 'demo-lead-practitioner',
    displayName: 'Demo Lead Practitioner',
  },
  {
    label: 'EH DAS screener',
    role: 'eh_das_screener',
    orgKey: 'council-early-help',
    subject: 'demo-screener',
    displayName: 'Demo Screener',
  },
  {
    label: 'Family Support Manager, Central',
    role: 'family_support_manager',
    orgKey: 'council-early-help',
    subject: 'demo-fsm',
    displayName: 'Demo Family Support Manager',
  },
  {
    label: 'Social worker',
    role: 'social_worker',
    orgKey: 'social-care',
    subject: 'demo-social-worker',
    displayName: 'Demo Social Worker',
  },
  {
    label: 'MASP chair',
    role: 'masp_chair',
    orgKey: 'council-early-help',
    subject: 'demo-masp-chair',
    displayName: 'Demo MASP Chair',
  },
  {
    label: 'EHA Co-ordinator',
    role: 'eha_coordinator',
    orgKey: 'council-early-help',
    subject: 'demo-eha-coordinator',
    displayName: 'Demo EHA Co-ordinator',
  },
  {
    label: 'Family Support Facilitator, Central',
    role: 'family_support_facilitator',
    orgKey: 'council-early-help',
    subject: 'demo-fsf',
    displayName: 'Demo Family Support Facilitator',
  },
  {
    label: 'Family Support Worker, Central',
    role: 'family_support_worker',
    orgKey: 'council-early-help',
    subject: 'demo-fsw',
    displayName: 'Demo Family Support Worker',
  },
  {
    label: 'Education welfare officer',
    role: 'education_welfare_officer',
    orgKey: 'education-welfare',
    subject: 'demo-ewo',
    displayName: 'Demo Education Welfare Officer',
  },
  {
    label: 'Midwife, community trust',
    role: 'midwife',
    orgKey: 'health-trust',
    subject: 'demo-midwife',
    displayName: 'Demo Midwife',
  },
  {
    label: 'Youth justice worker',
    role: 'youth_justice_worker',
    orgKey: 'youth-justice',
    subject: 'demo-youth-justice-worker',
    displayName: 'Demo Youth Justice Worker',
  },
  {
    label: 'Adult services worker',
    role: 'adult_services_worker',
    orgKey: 'adult-services',
    subject: 'demo-adult-services-worker',
    displayName: 'Demo Adult Services Worker',
  },
  {
    label: 'Jobcentre Plus work coach',
    role: 'work_coach',
    orgKey: 'jobcentre-plus',
    subject: 'demo-work-coach',
    displayName: 'Demo Work Coach',
  },
  {
    label: 'Data protection officer',
    role: 'dpo',
    orgKey: 'council-early-help',
    subject: 'demo-dpo',
    displayName: 'Demo DPO',
  },
  {
    label: 'Hub administrator',
    role: 'admin',
    orgKey: 'council-early-help',
    subject: 'demo-admin',
    displayName: 'Demo Admin',
  },
];

export interface DemoPersona {
  label: string;
  role: Role;
  organisationId: string;
  subject: string;
  practitionerId: string;
}

/** Who `npm start` prints tokens for. */
export const DEMO_PERSONAS: DemoPersona[] = PERSONA_SEEDS.map((p) => ({
  label: p.label,
  role: p.role,
  organisationId: demoOrgId(p.orgKey),
  subject: p.subject,
  practitionerId: demoPractitionerId(p.subject),
}));
