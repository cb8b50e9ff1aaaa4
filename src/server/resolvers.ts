/** Every resolver class of the hub, one line per module. */
import type { NonEmptyArray } from 'type-graphql';
import { CallerResolver } from '../../resolvers/caller/caller.resolver';
import { ChildResolver } from '../../resolvers/child/child.resolver';
import { ChildMergeResolver } from '../../resolvers/child-merge/child-merge.resolver';
import { NhsTraceResolver } from '../../resolvers/child/nhs-trace.resolver';
import { RevocationResolver } from '../../resolvers/hardening/revocation.resolver';
import { AuditResolver } from '../../resolvers/audit/audit.resolver';
import { OversightResolver } from '../../resolvers/audit/oversight.resolver';
import { AuditLogResolver } from '../../resolvers/audit/audit-log.resolver';
import { ConsentResolver } from '../../resolvers/consent/consent.resolver';
import { ChildFamilyResolver } from '../../resolvers/family/family.resolver';
import { CaseChangeResolver } from '../../resolvers/subscriptions/case-change.resolver';
import { ReferralResolver } from '../../resolvers/referral/referral.resolver';
import { TargetedSupportResolver } from '../../resolvers/referral/targeted-support.resolver';
import { SocialCareMaspResolver } from '../../resolvers/masp/social-care-masp.resolver';
import { EhaResolver } from '../../resolvers/eha/eha.resolver';
import {
  ActionPlanFieldsResolver,
  EhaFieldsResolver,
  EhaReviewFieldsResolver,
} from '../../resolvers/eha/eha-fields.resolver';
import { ChildEhaResolver } from '../../resolvers/eha/child-eha.resolver';
import { PerformanceResolver } from '../../resolvers/performance/performance.resolver';
import { ChildHealthResolver, HealthResolver } from '../../resolvers/health/health.resolver';
import { ChildSocialCareResolver } from '../../resolvers/social-care/social-care.resolver';
import { SchoolResolver } from '../../resolvers/school/school.resolver';
import { PoliceResolver } from '../../resolvers/police/police.resolver';
import { RelationshipsResolver } from '../../resolvers/relationships/relationships.resolver';
import { VcsResolver } from '../../resolvers/vcs/vcs.resolver';
import { PendingMatchResolver } from '../../resolvers/feeds/pending-match.resolver';
import { SyncResolver } from '../../resolvers/sync/sync.resolver';
import { InvolvedResolver } from '../../resolvers/involved/involved.resolver';
import { ReferrerFeedbackResolver } from '../../resolvers/referrer-feedback/referrer-feedback.resolver';
import { MissingResolver } from '../../resolvers/missing/missing.resolver';
import { OutcomesResolver } from '../../resolvers/outcomes/outcomes.resolver';
import { FamilyPlanResolver } from '../../resolvers/family-plan/family-plan.resolver';
import { DirectoryResolver } from '../../resolvers/directory/directory.resolver';
import { PriorityListResolver } from '../../resolvers/priority-list/priority-list.resolver';
import { QaResolver } from '../../resolvers/qa/qa.resolver';
import { PerformanceBookResolver } from '../../resolvers/performance-book/performance-book.resolver';
import { OrganisationResolver } from '../../resolvers/organisation/organisation.resolver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
// biome-ignore lint/complexity/noBannedTypes: type-graphql's buildSchema takes resolver classes as Function.
export const RESOLVERS: NonEmptyArray<Function> = [
  CallerResolver,
  ChildResolver,
  ChildMergeResolver,
  NhsTraceResolver,
  RevocationResolver,
  OrganisationResolver,
  AuditResolver,
  OversightResolver,
  AuditLogResolver,
  ConsentResolver,
  ChildFamilyResolver,
  CaseChangeResolver,
  ReferralResolver,
  TargetedSupportResolver,
  SocialCareMaspResolver,
  EhaResolver,
  EhaFieldsResolver,
  ActionPlanFieldsResolver,
  EhaReviewFieldsResolver,
  ChildEhaResolver,
  PerformanceResolver,
  HealthResolver,
  ChildHealthResolver,
  ChildSocialCareResolver,
  SchoolResolver,
  PoliceResolver,
  RelationshipsResolver,
  VcsResolver,
  PendingMatchResolver,
  SyncResolver,
  InvolvedResolver,
  ReferrerFeedbackResolver,
  MissingResolver,
  OutcomesResolver,
  FamilyPlanResolver,
  DirectoryResolver,
  PriorityListResolver,
  QaResolver,
  PerformanceBookResolver,
];
