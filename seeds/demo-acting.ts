/**
 * Acting in the demo city: the case work of the demo goes through the domain services a GraphQL
 * resolver calls, as a named practitioner of a named organisation, with the access decision a
 * request would get. Each call gets a fresh decider (its instant is the call's), on one clock the
 * seed moves to the day the work happened, so dates in the past are the services' own "today".
 * The seed is not a request: the change audit is collected and set aside, as for the feeds' pushes.
 */
import { AccessDecider } from '../src/access/access-decider';
import type { Purpose } from '../src/access/purposes';
import type { Role } from '../src/access/roles';
import { AuditCollector } from '../src/audit/audit-collector';
import type { Caller } from '../src/auth/caller';
import { ChildService } from '../src/child/child.service';
import { ConsentService } from '../src/consent/consent.service';
import type { Db } from '../src/db';
import { PERSONA_SEEDS, demoOrgId } from '../src/dev/personas';
import { EhaService } from '../src/eha/eha.service';
import { EscalationService } from '../src/eha/escalation.service';
import { FamilyPlanService } from '../src/family-plan/family-plan.service';
import { MissingReportFeed } from '../src/feeds/missing-report.service';
import { MissingService } from '../src/missing/missing.service';
import { OutcomesService } from '../src/outcomes/outcomes.service';
import { PriorityListService } from '../src/priority-list/priority-list.service';
import { ReferralService } from '../src/referral/referral.service';
import { fixedClock } from '../src/shared/clock';
import { silentLogger } from '../src/shared/logger';
import { InboundService } from '../src/sync/inbound.service';
import type { Actor } from '../src/workflow/actor';

export type DemoWork = ReturnType<typeof demoWork>;

/** The services on one movable clock, and callers for the demo's personas (or another practitioner). */
export function demoWork(db: Db, seedDay: string) {
  const clock = fixedClock(`${seedDay}T09:00:00Z`);
  const children = new ChildService({ db, clock });
  return {
    clock,
    /** Moves the clock to `day` (at `time`, UTC) before the next call. */
    on(day: string, time = '09:00:00') {
      clock.set(`${day}T${time}Z`);
    },
    referrals: new ReferralService({ db, clock, children, attemptKey: 'demo-city-seed' }),
    consents: new ConsentService({ db, clock }),
    ehas: new EhaService({ db, clock }),
    escalations: new EscalationService({ db, clock }),
    missing: new MissingService({ db, clock }),
    missingReports: new MissingReportFeed({ db, clock }),
    priorityList: new PriorityListService({ db, clock }),
    outcomes: new OutcomesService({ db, clock }),
    familyPlans: new FamilyPlanService({ db, clock }),
    /** What Liquid Logic reports about social care's own cases (its allocations, episodes). */
    liquidLogic: new InboundService({ db, clock, logger: silentLogger, children }),
    /** A demo persona by subject, or any practitioner given with its role and organisation. */
    as(subject: string, purpose: Purpose, who?: { role: Role; organisationId: string }): Actor {
      const persona = PERSONA_SEEDS.find((p) => p.subject === subject);
      const role = who?.role ?? persona?.role;
      const organisationId = who?.organisationId ?? (persona ? demoOrgId(persona.orgKey) : undefined);
      if (!role || !organisationId) throw new Error(`no demo practitioner ${subject}`);
      const caller: Caller = { subject, organisationId, role, clientId: subject, issuer: 'demo-city' };
      const audit = seedAudit(caller, purpose);
      return { caller, audit, access: new AccessDecider({ db, caller, purpose, clock, audit }) };
    },
  };
}

/** The audit of a seed call: collected like a request's, written nowhere. */
export function seedAudit(caller: Caller, purpose: Purpose | null): AuditCollector {
  return new AuditCollector(async () => {}, 'demo-city-seed', {
    requestId: `demo-city-${caller.subject}`,
    caller,
    purpose,
  });
}
