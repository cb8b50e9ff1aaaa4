/**
 * The hub's domain services, built once per process with their dependencies passed in
 * (database, clock, logger) — no module-level singletons, so tests can swap the clock.
 */
import type { Database, Db } from '../db';
import { AuditService } from '../audit/audit.service';
import { AccessNotificationService } from '../audit/access-notifications.service';
import { DpoService } from '../audit/dpo.service';
import { RetentionService } from '../audit/retention.service';
import { ChildService } from '../child/child.service';
import { OrganisationService } from '../organisation/organisation.service';
import { ConsentService } from '../consent/consent.service';
import { OverrideService } from '../consent/override.service';
import { EhaQueryService } from '../eha/eha-queries.service';
import { EhaService } from '../eha/eha.service';
import { EscalationService } from '../eha/escalation.service';
import { PerformanceService } from '../performance/performance.service';
import { ReferralService } from '../referral/referral.service';
import { FeedsService } from '../feeds/feeds.service';
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
  readonly dpo: DpoService;
  readonly accessNotifications: AccessNotificationService;
  readonly retention: RetentionService;
  readonly children: ChildService;
  readonly organisations: OrganisationService;
  readonly consents: ConsentService;
  readonly overrides: OverrideService;
  readonly referrals: ReferralService;
  readonly ehas: EhaService;
  readonly ehaQueries: EhaQueryService;
  readonly escalations: EscalationService;
  readonly performance: PerformanceService;
  readonly feeds: FeedsService;
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
}

export interface ServiceDependencies {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Liquid Logic webhook shared secret. */
  liquidLogicWebhookSecret?: string;
}

export function createServices({ database, clock, logger, liquidLogicWebhookSecret }: ServiceDependencies): HubServices {
  const db = database.db;
  const audit = new AuditService({ db, clock });
  const children = new ChildService({ db, clock });
  return {
    database, db, clock, logger,
    audit,
    dpo: new DpoService({ db, clock }),
    accessNotifications: new AccessNotificationService({ db, clock }),
    retention: new RetentionService({ db, clock, audit }),
    children,
    organisations: new OrganisationService({ db, clock }),
    consents: new ConsentService({ db, clock }),
    overrides: new OverrideService({ db, clock }),
    referrals: new ReferralService({ db, clock, children }),
    ehas: new EhaService({ db, clock }),
    ehaQueries: new EhaQueryService({ db, clock }),
    escalations: new EscalationService({ db, clock }),
    performance: new PerformanceService({ db }),
    feeds: new FeedsService({ db, clock, children }),
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
  };
}
