/**
 * Which roles may call each root field: the shield's rule tree is built from this table, and any
 * root field not listed is denied (fallbackRule deny). Field-level access to a child's data is
 * decided separately, per category, by the category guard.
 */
import { Capability, capabilityRoles } from './capabilities';
import { ISA_PERMISSIONS } from './permissions';
import { ROLES, type Role } from './roles';

const SYSTEMS: readonly Role[] = ['health_system', 'police_system'];
/** Audit data and administration, never case content. */
const OVERSIGHT: readonly Role[] = ['dpo', 'admin'];
/** People at work on children's cases: every role but the systems and oversight. */
const PRACTITIONERS: readonly Role[] = ROLES.filter((r) => !SYSTEMS.includes(r) && !OVERSIGHT.includes(r));
/** Everyone who may read case content; never the DPO or admin. */
export const CASE_READERS: readonly Role[] = [...PRACTITIONERS, ...SYSTEMS];
export const EVERY_ROLE: readonly Role[] = [...CASE_READERS, ...OVERSIGHT];

/** Roles that write the Early Help record manage the child's consents (the service also checks the relationship). */
export const CONSENT_MANAGERS: readonly Role[] = ROLES.filter((r) => ISA_PERMISSIONS[r].write.includes('early_help'));
/** Roles the ISA lets declare a safeguarding override. */
export const OVERRIDE_DECLARERS: readonly Role[] = ROLES.filter((r) => ISA_PERMISSIONS[r].mayDeclareOverride);

/** The Early Help case team: works the EHA (TAF, plan, reviews); closure and escalation narrow it further (capabilities). */
const EH_CASE_TEAM = capabilityRoles(Capability.WorkEha);
/** Council roles that run the workflow and read its queues and performance book. */
const EH_COUNCIL: readonly Role[] = [
  'eh_das_screener',
  'eha_coordinator',
  'family_support_manager',
  'family_support_facilitator',
  'family_support_worker',
  'lead_practitioner',
  'social_worker',
  'masp_chair',
];
/** Who works a child's case day to day (missing returns, assessments, the family plan); services check the relationship. */
const CASE_PRACTITIONERS: readonly Role[] = [
  'family_support_manager',
  'family_support_facilitator',
  'family_support_worker',
  'lead_practitioner',
  'social_worker',
];

/** Who sees matching candidates: held feed submissions and a referral's possible records. Never a referrer. */
export const SEES_MATCH_CANDIDATES = capabilityRoles(Capability.SeeMatchCandidates);

export type OperationPermissions = Record<'Query' | 'Mutation' | 'Subscription', Record<string, readonly Role[]>>;

export const OPERATION_PERMISSIONS: OperationPermissions = {
  Query: {
    me: EVERY_ROLE,
    child: CASE_READERS,
    children: CASE_READERS,
    accessLog: ['dpo'],
    subjectAccessReport: ['dpo'],
    verifyAuditChain: ['dpo'],
    auditCheckpoint: ['dpo'],
    auditInclusionProof: ['dpo'],
    auditConsistencyProof: ['dpo'],
    overridesAwaitingReview: ['dpo'],
    legalHolds: ['dpo'],
    auditAnomalies: ['dpo'],
    // The service checks the caller is the child's lead practitioner or responsible council team; the DPO sees every child's.
    recentAccessByOthers: [...CASE_READERS, 'dpo'],
    consentHistory: CONSENT_MANAGERS,
    // Early Help workflow: the services check the relationship with each child.
    referral: EH_COUNCIL,
    // The EHA Co-ordinator screens too, registering the EHAs screening opens.
    referralsAwaitingScreening: capabilityRoles(Capability.ScreenReferral),
    referralsAtFrontDoor: ['eh_das_screener'],
    targetedSupportDue: ['eh_das_screener'],
    socialCareMaspReferrals: ['masp_chair'],
    socialCareMaspStepDownsDue: ['social_worker'],
    eha: CASE_READERS,
    openEha: CASE_READERS,
    myCaseload: PRACTITIONERS,
    ehasDueForReview: EH_COUNCIL,
    overdueFirstTafMeetings: EH_COUNCIL,
    longRunningEhas: EH_COUNCIL,
    performanceIndicators: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
    // Partner feeds: a recipient sees only notifications addressed to its own organisation.
    policeNotifications: ['school_dsl', 'eh_das_screener', 'health_visitor'],
    // The local authority's oversight of every recipient's acknowledgements: no case content.
    overduePoliceNotifications: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
    // Names, dates of birth and postcodes of held submissions: EH DAS screening only, never admin.
    pendingMatches: SEES_MATCH_CANDIDATES,
    childMergeProposals: ['eh_das_screener'],
    persistentAbsence: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
    // Liquid Logic sync: queue health, no child data.
    syncStatus: ['admin', 'dpo'],
    // Wider Early Help offer: services check the relationship; the category guard, consent.
    whoElseIsInvolved: EH_COUNCIL,
    // Anyone may refer; the service returns only the caller's own referrals.
    myReferralOutcomes: PRACTITIONERS,
    stepUpsByReferringOrganisation: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
    overdueReturnInterviews: EH_COUNCIL,
    missingEpisodes: CASE_READERS,
    familyOutcomes: CASE_READERS,
    familyPlan: CASE_READERS,
    // The directory is reference data for every practitioner; contact counts are aggregates.
    directory: [...PRACTITIONERS, 'admin'],
    caseSignposts: CASE_READERS,
    priorityList: EH_COUNCIL,
    // Managers' monthly case audits: practice quality, no case content.
    qaSample: ['family_support_manager', 'masp_chair'],
    qaTrend: ['family_support_manager', 'masp_chair'],
    performanceBook: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
    advicePointContactCounts: ['eh_das_screener', 'family_support_manager', 'masp_chair', 'admin'],
    clusterDistanceTravelled: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
  },
  Mutation: {
    // Wider Early Help offer: the services check write permission and relationship.
    recordMissingEpisode: [
      'police_officer',
      'police_system',
      'eh_das_screener',
      'family_support_manager',
      'lead_practitioner',
      'social_worker',
    ],
    recordMissingReturn: ['eh_das_screener', ...CASE_PRACTITIONERS],
    recordReturnInterview: ['eh_das_screener', ...CASE_PRACTITIONERS],
    recordRickterAssessment: CASE_PRACTITIONERS,
    recordHeadlineOutcomesAtStart: CASE_PRACTITIONERS,
    recordHeadlineOutcomeProgress: CASE_PRACTITIONERS,
    setFamilyPlan: CASE_PRACTITIONERS,
    recordVoiceOfChild: CASE_PRACTITIONERS,
    publishEarlyHelpOffer: [
      'school_dsl',
      'health_visitor',
      'school_nurse',
      'police_officer',
      'vcs_worker',
      'eh_das_screener',
      'family_support_manager',
      'social_worker',
      'admin',
    ],
    signpostCase: ['eh_das_screener', ...CASE_PRACTITIONERS],
    recordAdvicePointContact: ['eh_das_screener', 'family_support_manager'],
    addToPriorityList: CONSENT_MANAGERS,
    decidePriorityListEntry: ['eh_das_screener', 'family_support_manager', 'masp_chair'],
    drawQaSample: ['family_support_manager', 'masp_chair'],
    recordCaseAudit: ['family_support_manager', 'masp_chair'],
    setIndicatorNarrative: ['family_support_manager', 'masp_chair'],
    submitIndicatorFigure: ['family_support_manager', 'masp_chair'],
    registerChild: ['eh_das_screener', 'family_support_manager', 'social_worker', 'lead_practitioner', 'admin'],
    // Merges reviewed by two people: the service refuses a proposer approving their own proposal.
    proposeChildMerge: ['eh_das_screener'],
    approveChildMerge: ['eh_das_screener'],
    rejectChildMerge: ['eh_das_screener'],
    undoChildMerge: ['eh_das_screener'],
    // Tracing against PDS is EH DAS's check with systems; it needs a screening relationship with the child.
    traceNhsNumber: ['eh_das_screener'],
    revokeServiceAccount: ['admin'],
    restoreServiceAccount: ['admin'],
    createOrganisation: ['admin'],
    updateOrganisation: ['admin'],
    setTermDates: ['admin'],
    reviewOverride: ['dpo'],
    placeLegalHold: ['dpo'],
    liftLegalHold: ['dpo'],
    recordConsent: CONSENT_MANAGERS,
    confirmConsentInWriting: CONSENT_MANAGERS,
    withdrawConsent: CONSENT_MANAGERS,
    // A giver recorded as stated is matched with the family record by EH DAS, who screen every referral.
    reconcileConsentGiver: ['eh_das_screener'],
    declareSafeguardingOverride: OVERRIDE_DECLARERS,
    revokeSafeguardingOverride: OVERRIDE_DECLARERS,
    // Early Help workflow. "Anyone may refer": every practitioner.
    submitReferral: PRACTITIONERS,
    screenReferral: capabilityRoles(Capability.ScreenReferral),
    endTargetedSupport: ['eh_das_screener'],
    recordTafMeeting: EH_CASE_TEAM,
    setActionPlan: EH_CASE_TEAM,
    escalateToEha: EH_CASE_TEAM,
    recordReview: EH_CASE_TEAM,
    closeEha: capabilityRoles(Capability.CloseEha),
    stepUp: capabilityRoles(Capability.StepUp),
    referToMasp: capabilityRoles(Capability.CloseEha),
    recordMaspOutcome: ['masp_chair'],
    referSocialCareCaseToMasp: ['social_worker'],
    recordSocialCareMaspOutcome: ['masp_chair'],
    recordSingleAssessmentOutcome: ['social_worker'],
    stepDown: ['social_worker'],
    openHealthLedEha: capabilityRoles(Capability.OpenHealthLedEha),
    // Partner feeds: service accounts and the staff of the posting organisation.
    postHealthUpdate: ['health_system'],
    postSchoolAttendance: ['school_staff', 'school_dsl'],
    notifyPoliceIncident: ['police_system', 'police_officer'],
    reportMissingFromHome: ['police_system', 'police_officer'],
    acknowledgePoliceNotification: ['school_dsl', 'eh_das_screener', 'health_visitor'],
    postVcsContact: ['vcs_worker'],
    // Relationships from authoritative records: the school's MIS, the trust's system.
    pushSchoolRoll: ['school_dsl', 'school_staff'],
    pushHealthCaseload: ['health_system'],
    resolvePendingMatch: SEES_MATCH_CANDIDATES,
    retryDeadLetter: ['admin'],
    redriveDeadLetters: ['admin'],
  },
  Subscription: {
    // Checked in graphql-ws onSubscribe (graphql-shield does not run at subscribe time) and again by the shield per event.
    // The DPO has no relationship with any child: its subscription carries only notifications of access.
    caseChanged: [...CASE_READERS, 'dpo'],
  },
};
