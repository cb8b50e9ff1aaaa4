import { randomBytes } from 'node:crypto';
/**
 * The hub's domain services, built once per process with their dependencies passed in
 * (database, clock, logger) — no module-level singletons, so tests can swap the clock.
 */
import type { Database, Db } from '../db';
import { AuditService } from '../audit/audit.service';
import { AppendedRows } from '../audit/appended-rows';
import type { WitnessPublisher } from '../audit/witness-client';
import { AuditLog } from '../audit/audit-log.service';
import { AuditProofService } from '../audit/audit-proofs.service';
import { ephemeralAuditKeys, type AuditKeys } from '../audit/audit-keys';
import { memoryCheckpointStore, type CheckpointStore } from '../audit/checkpoint-store';
import { AccessNotificationService } from '../audit/access-notifications.service';
import { DpoService } from '../audit/dpo.service';
import { RetentionService } from '../audit/retention.service';
import { ChildService } from '../child/child.service';
import { ChildMergeReview } from '../child-merge/child-merge.service';
import { NhsTraceService } from '../child/nhs-trace.service';
import type { PatientDirectoryAdapter } from '../../adapters/pds/patient-directory';
import { OrganisationService } from '../organisation/organisation.service';
import { ConsentService } from '../consent/consent.service';
import { OverrideService } from '../consent/override.service';
import type { ConsentAges } from '../consent/consent-givers';
import { EhaQueryService } from '../eha/eha-queries.service';
import { EhaService } from '../eha/eha.service';
import { EscalationService } from '../eha/escalation.service';
import { HealthLedEhaService } from '../partnership-plus/health-led-eha.service';
import { PerformanceService } from '../performance/performance.service';
import { ReferralService } from '../referral/referral.service';
import { TargetedSupportService } from '../referral/targeted-support.service';
import { SocialCareMaspService } from '../masp/social-care-masp.service';
import { FeedsService } from '../feeds/feeds.service';
import { FeedInbox } from '../feeds/feed-inbox';
import { InboundService } from '../sync/inbound.service';
import { InvolvedService } from '../involved/involved.service';
import { ReferrerFeedbackService } from '../referrer-feedback/referrer-feedback.service';
import { MissingService } from '../missing/missing.service';
import { OutcomesService } from '../outcomes/outcomes.service';
import { FamilyPlanService } from '../family-plan/family-plan.service';
import { DirectoryService } from '../directory/directory.service';
import { PriorityListService } from '../priority-list/priority-list.service';
import { QaService } from '../qa/qa.service';
import { PerformanceBookService } from '../performance-book/performance-book.service';
import { SyncService } from '../sync/sync.service';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';

export interface HubServices {
  readonly database: Database;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly audit: AuditService;
  /** The audit's Merkle log: checkpointer, proofs, verification. */
  readonly auditLog: AuditLog;
  /** The log's checkpoints and proofs, for the DPO. */
  readonly auditProofs: AuditProofService;
  readonly dpo: DpoService;
  readonly accessNotifications: AccessNotificationService;
  readonly retention: RetentionService;
  readonly children: ChildService;
  /** Merges reviewed by two people, and their undo. */
  readonly childMerges: ChildMergeReview;
  /** NHS number tracing against PDS (SERVICE_UNAVAILABLE without a PDS adapter). */
  readonly nhsTrace: NhsTraceService;
  readonly organisations: OrganisationService;
  readonly consents: ConsentService;
  readonly overrides: OverrideService;
  readonly referrals: ReferralService;
  readonly targetedSupport: TargetedSupportService;
  readonly socialCareMasp: SocialCareMaspService;
  readonly ehas: EhaService;
  readonly ehaQueries: EhaQueryService;
  readonly escalations: EscalationService;
  readonly healthLedEhas: HealthLedEhaService;
  readonly performance: PerformanceService;
  readonly feeds: FeedsService;
  /** Health updates and police incidents, applied after their receipt (start it for the backstop sweep). */
  readonly feedInbox: FeedInbox;
  /** Who else is involved with a child (screening, TAF). */
  readonly involved: InvolvedService;
  /** Referrers' view of their referrals' outcomes; step-ups by referring organisation. */
  readonly referrerFeedback: ReferrerFeedbackService;
  /** Missing from home episodes and return interviews. */
  readonly missing: MissingService;
  /** Rickter Scale distance travelled and headline outcomes. */
  readonly outcomes: OutcomesService;
  /** Family plan view and voice of the child. */
  readonly familyPlans: FamilyPlanService;
  /** Early Help directory, signposting, Advice Point contact counts. */
  readonly directory: DirectoryService;
  /** Priority Children's List per cluster. */
  readonly priorityList: PriorityListService;
  /** Monthly case audits (QA). */
  readonly qa: QaService;
  /** The full performance book with owners and narratives. */
  readonly performanceBook: PerformanceBookService;
  /** Liquid Logic sync: queue status and dead letters; inbound social care changes. */
  readonly sync: SyncService;
  readonly inbound: InboundService;
  /** Shared secret of the Liquid Logic webhook (unset: the webhook answers 503). */
  readonly liquidLogicWebhookSecret: string | undefined;
  /** Key of the hash under which attempts on identifiers the hub does not hold are audited. */
  readonly auditIdentifierKey: string;
}

export interface ServiceDependencies {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Liquid Logic webhook shared secret. */
  liquidLogicWebhookSecret?: string;
  /**
   * Key of the hash under which attempts on children the hub does not hold are audited
   * (src/audit/attempt-id.ts; AUDIT_IDENTIFIER_KEY). Default: a random key per process, so such
   * rows can be told apart but not checked against an identifier after a restart.
   */
  auditIdentifierKey?: string;
  /** The audit log's signing key, held outside the database (default: a fresh one in memory). */
  auditKeys?: AuditKeys;
  /** Where audit checkpoints are published (default: in memory). */
  checkpointStore?: CheckpointStore;
  /** The witness each checkpoint is sent to (AUDIT_WITNESS_URL; default none). */
  auditWitness?: WitnessPublisher;
  /** Ages of a young person's own consent (CONSENT_YOUNG_PERSON_MIN_AGE / _UNASSISTED_AGE; default 12 and 16). */
  consentAges?: ConsentAges;
  /** The PDS adapter NHS numbers are traced against (PDS_URL; default none: tracing answers SERVICE_UNAVAILABLE). */
  pds?: PatientDirectoryAdapter | null;
}

export function createServices({
  database,
  clock,
  logger,
  liquidLogicWebhookSecret,
  auditIdentifierKey = randomBytes(32).toString('hex'),
  auditKeys = ephemeralAuditKeys(),
  checkpointStore = memoryCheckpointStore(),
  auditWitness,
  consentAges,
  pds = null,
}: ServiceDependencies): HubServices {
  const db = database.db;
  // The rows this process audits reach its checkpointer without a read back.
  const appended = new AppendedRows();
  const audit = new AuditService({ db, clock, keys: auditKeys, appended });
  const accessNotifications = new AccessNotificationService({ db, clock });
  // Notify-on-access: each view is looked at once, as the checkpointer logs it.
  const auditLog = new AuditLog({
    db,
    clock,
    logger,
    keys: auditKeys,
    store: checkpointStore,
    witness: auditWitness,
    onIntegrated: (tx, rows) => accessNotifications.recordOutsideViews(tx, rows),
    appended,
  });
  const children = new ChildService({ db, clock });
  const feedInbox = new FeedInbox({ db, audit, logger, identifierKey: auditIdentifierKey });
  return {
    database,
    db,
    clock,
    logger,
    audit,
    auditLog,
    auditProofs: new AuditProofService(auditLog),
    dpo: new DpoService({ db, clock, log: auditLog }),
    accessNotifications,
    retention: new RetentionService({ db, clock, audit }),
    children,
    childMerges: new ChildMergeReview({ db, clock, children }),
    nhsTrace: new NhsTraceService({ db, clock, pds }),
    organisations: new OrganisationService({ db, clock }),
    consents: new ConsentService({ db, clock, ages: consentAges }),
    overrides: new OverrideService({ db, clock }),
    referrals: new ReferralService({ db, clock, children, attemptKey: auditIdentifierKey, consentAges }),
    targetedSupport: new TargetedSupportService({ db, clock }),
    socialCareMasp: new SocialCareMaspService({ db, clock }),
    ehas: new EhaService({ db, clock }),
    ehaQueries: new EhaQueryService({ db, clock }),
    escalations: new EscalationService({ db, clock }),
    healthLedEhas: new HealthLedEhaService({ db, clock }),
    performance: new PerformanceService({ db }),
    feeds: new FeedsService({ db, clock, children, inbox: feedInbox }),
    feedInbox,
    involved: new InvolvedService({ db, clock }),
    referrerFeedback: new ReferrerFeedbackService({ db, clock }),
    missing: new MissingService({ db, clock }),
    outcomes: new OutcomesService({ db, clock }),
    familyPlans: new FamilyPlanService({ db, clock }),
    directory: new DirectoryService({ db, clock }),
    priorityList: new PriorityListService({ db, clock }),
    qa: new QaService({ db, clock }),
    performanceBook: new PerformanceBookService({ db, clock, performance: new PerformanceService({ db }) }),
    sync: new SyncService({ db, clock }),
    inbound: new InboundService({ db, clock, logger, children }),
    liquidLogicWebhookSecret,
    auditIdentifierKey,
  };
}
