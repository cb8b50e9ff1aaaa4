/**
 * The per-request access decision (decide once, push down: see docs/architecture.md). For each
 * (child, category) the first question costs one batched statement for all children of the
 * request (relationship, consents and overrides together); every later field of that child is a
 * map hit.
 *
 *   allowed = role permits the category
 *         AND the caller has a relationship with the child
 *         AND (ISA basis without consent OR consent in force for org/kind, category and purpose
 *              OR a safeguarding override in force for the category naming the caller's organisation)
 */
import DataLoader from 'dataloader';
import type { AuditCollector } from '../audit/audit-collector';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db';
import {
  BadUserInputError,
  ConsentRequiredError,
  ForbiddenError,
  invariant,
  NoRelationshipError,
  type HubError,
} from '../errors';
import { partnershipDate, type Clock } from '../shared/clock';
import { isUuid } from '../shared/validate';
import {
  childAccessFacts,
  organisationKindOf,
  practitionerBySubject,
  relationshipCondition,
  type ChildAccessFacts,
  type RelationshipScope,
} from './access.repo';
import type { DataCategory } from './categories';
import { overrideOpensTo } from './in-force';
import type { AccessDecision } from './decision';
import { ISA_LEGAL_BASES, permissionFor, type RolePermission } from './permissions';
import { PURPOSE_HEADER, type Purpose } from './purposes';
import { mayStatePurpose, ROLE_PURPOSES } from './role-purposes';
import { kindsForPurpose } from './relationship-kinds';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';

export interface AccessDeciderOptions {
  db: DbOrTx;
  caller: Caller;
  purpose: Purpose | null;
  clock: Clock;
  /**
   * The caller's organisation kind (consents may name kinds), from a directory the request has
   * already consulted; defaults to a query.
   */
  organisationKind?: () => Promise<string | null>;
  /** The request's audit: a refused relationship is recorded there (`requireRelationship`). */
  audit?: AuditCollector;
}

export class AccessDecider {
  readonly caller: Caller;
  readonly purpose: Purpose | null;
  readonly permission: RolePermission;
  /** One instant per request, so every field of a response is decided at the same time. */
  readonly at: Date;
  private readonly db: DbOrTx;
  private readonly decisions = new Map<string, Promise<AccessDecision>>();
  /** Decisions already settled, and the facts and organisation kind already read: what `decideNow` answers from. */
  private readonly settled = new Map<string, AccessDecision>();
  private readonly knownFacts = new Map<string, ChildAccessFacts>();
  private knownOrgKind: { kind: string | null } | undefined;
  private scopePromise: Promise<RelationshipScope | null> | undefined;
  private orgKindPromise: Promise<string | null> | undefined;
  private readonly facts: DataLoader<string, ChildAccessFacts>;

  private readonly organisationKindSource: () => Promise<string | null>;

  private readonly audit: AuditCollector | undefined;

  constructor({ db, caller, purpose, clock, organisationKind, audit }: AccessDeciderOptions) {
    this.audit = audit;
    this.organisationKindSource = organisationKind ?? (() => organisationKindOf(db, caller.organisationId));
    this.db = db;
    this.caller = caller;
    this.purpose = purpose;
    this.permission = permissionFor(caller.role, purpose);
    this.at = clock.now();
    this.facts = new DataLoader(async (ids) => {
      const scope = await this.scope();
      // Without a relationship no consent or override is ever consulted: nothing to read.
      const rows = scope ? await childAccessFacts(this.db, ids, scope, this.at) : [];
      const byChild = new Map(rows.map((row) => [row.childId, row]));
      return ids.map((childId) =>
        this.know(byChild.get(childId) ?? { childId, related: false, held: false, consents: [], overrides: [] }),
      );
    });
  }

  /** The caller's relationship scope, or null for roles that never relate to a child (DPO, admin). */
  scope(): Promise<RelationshipScope | null> {
    this.scopePromise ??= (async () => {
      const rule = this.permission.relationship;
      if (!rule) return null;
      // Wanted by every consent-based decision: read it while the child is being read, so the
      // decisions can settle synchronously (decideNow). A failure reaches whoever awaits it.
      this.organisationKind().catch(() => undefined);
      let practitionerId: string | null = null;
      if (rule.scope === 'practitioner') {
        practitionerId =
          (await practitionerBySubject(this.db, this.caller.subject, this.caller.organisationId))?.id ?? null;
        if (!practitionerId) return null;
      }
      return {
        kinds: kindsForPurpose(rule.kinds, this.purpose),
        organisationId: this.caller.organisationId,
        practitionerId,
        onDate: partnershipDate(this.at),
        at: this.at,
      };
    })();
    return this.scopePromise;
  }

  /**
   * Reads of child data state why, and only a purpose the role may state (role-purposes.ts): a
   * request without one is refused before any lookup, and so is every disclosure (mutations too).
   */
  requirePurpose(): Purpose {
    if (!this.purpose)
      throw new BadUserInputError(
        PURPOSE_HEADER,
        `state the purpose of access: one of ${ROLE_PURPOSES[this.caller.role].join(', ')}`,
      );
    if (!mayStatePurpose(this.caller.role, this.purpose)) {
      throw new BadUserInputError(
        PURPOSE_HEADER,
        `your role may not read for ${this.purpose}; state one of ${ROLE_PURPOSES[this.caller.role].join(', ')}`,
      );
    }
    return this.purpose;
  }

  /** Facts a lookup read together with the child (child.repo findLiveWithAccessFacts): no second read. */
  primeFacts(facts: ChildAccessFacts): void {
    this.facts.prime(facts.childId, this.know(facts));
  }

  private know(facts: ChildAccessFacts): ChildAccessFacts {
    this.knownFacts.set(facts.childId, facts);
    return facts;
  }

  /** Whether the caller has any relationship with the child (root lookups, subscriptions). */
  async hasRelationship(childId: string): Promise<boolean> {
    return (await this.facts.load(childId)).related;
  }

  /** The row rule for lists: a `where` condition on a child id column. */
  async relationshipWhere(childIdColumn: AnyPgColumn | SQL): Promise<SQL> {
    const scope = await this.scope();
    return scope ? relationshipCondition(childIdColumn, scope) : sql`false`;
  }

  decide(childId: string, category: DataCategory): Promise<AccessDecision> {
    const key = `${childId}\u0000${category}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      const now = this.decideNow(childId, category);
      decision = now ? Promise.resolve(now) : this.computeDecision(childId, category);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /**
   * The decision without waiting, when what it rests on has already been read in this request
   * (the same rule as `decide`); undefined when a read is still needed. The category guard
   * uses it so that the fields of a child already decided resolve synchronously.
   */
  decideNow(childId: string, category: DataCategory): AccessDecision | undefined {
    const key = `${childId}\u0000${category}`;
    let decision = this.settled.get(key);
    if (decision) return decision;
    const facts = this.knownFacts.get(childId);
    if (!this.permission.read[category]) decision = this.ruleOn(category, null, null);
    else if (facts && (!facts.related || this.permission.read[category] === 'isa'))
      decision = this.ruleOn(category, facts, null);
    else if (facts && this.knownOrgKind) decision = this.ruleOn(category, facts, this.knownOrgKind.kind);
    if (decision) this.settled.set(key, decision);
    return decision;
  }

  /** Throws the typed error for a denied decision; returns the decision when granted. */
  async require(childId: string, category: DataCategory): Promise<AccessDecision & { allowed: true }> {
    const decision = await this.decide(childId, category);
    if (!decision.allowed) throw denialError(decision);
    return decision;
  }

  /** Write rule: the role may write the category and has a relationship with the child. */
  async requireWrite(childId: string, category: DataCategory): Promise<void> {
    if (!this.permission.write.includes(category))
      throw new ForbiddenError(`Your role may not change ${category} data`, { category });
    await this.requireRelationship(childId, category);
  }

  /**
   * A relationship with the child, or NO_RELATIONSHIP — the same answer after the same statement
   * whether or not the hub holds the child, and audited alike: under the child's id when held,
   * otherwise under a keyed hash of `asked` (what the caller named; default the id itself).
   */
  async requireRelationship(
    childId: string,
    category?: DataCategory,
    asked: readonly string[] = ['child', childId],
  ): Promise<void> {
    const facts = isUuid(childId) ? await this.facts.load(childId) : { related: false, held: false };
    if (facts.related) return;
    this.audit?.attempted(facts.held === false ? null : childId, asked);
    throw new NoRelationshipError(category);
  }

  /** Reads what `decideNow` still lacks — the child's facts, then (if consent may matter) the organisation kind — and decides. */
  private async computeDecision(childId: string, category: DataCategory): Promise<AccessDecision> {
    if (this.permission.read[category]) {
      const facts = await this.facts.load(childId);
      if (facts.related && this.permission.read[category] !== 'isa') await this.organisationKind();
    }
    const decision = this.decideNow(childId, category);
    invariant(decision, 'a decision is settled once its facts and organisation kind are read');
    return decision;
  }

  /**
   * The rule itself, on what has been read: `facts` may be null only when the role may not read
   * the category; `orgKind` is consulted only for a consent-based category of a related child.
   */
  private ruleOn(category: DataCategory, facts: ChildAccessFacts | null, orgKind: string | null): AccessDecision {
    const readBasis = this.permission.read[category];
    if (!readBasis || !facts) return { allowed: false, category, code: 'FORBIDDEN' };
    if (!facts.related) return { allowed: false, category, code: 'NO_RELATIONSHIP' };
    if (readBasis === 'isa') {
      return {
        allowed: true,
        category,
        basis: { kind: 'isa', reference: this.permission.legalBasis ?? ISA_LEGAL_BASES[this.caller.role] ?? 'ISA' },
      };
    }
    const consent = facts.consents.find(
      (c) =>
        c.startsAt <= this.at &&
        c.categories.includes(category) &&
        this.purpose !== null &&
        c.purposes.includes(this.purpose) &&
        (c.organisationIds.includes(this.caller.organisationId) ||
          (orgKind !== null && c.organisationKinds.includes(orgKind))),
    );
    if (consent) return { allowed: true, category, basis: { kind: 'consent', consentId: consent.id } };
    const override = facts.overrides.find(
      (o) => o.categories.includes(category) && overrideOpensTo(o, this.caller.organisationId),
    );
    if (override) return { allowed: true, category, basis: { kind: 'override', overrideId: override.id } };
    return { allowed: false, category, code: 'CONSENT_REQUIRED' };
  }

  private organisationKind(): Promise<string | null> {
    this.orgKindPromise ??= this.organisationKindSource().then((kind) => {
      this.knownOrgKind = { kind };
      return kind;
    });
    return this.orgKindPromise;
  }
}

export function denialError(decision: AccessDecision & { allowed: false }): HubError {
  switch (decision.code) {
    case 'FORBIDDEN':
      return new ForbiddenError(`Your role may not read ${decision.category} data`, { category: decision.category });
    case 'NO_RELATIONSHIP':
      return new NoRelationshipError(decision.category);
    case 'CONSENT_REQUIRED':
      return new ConsentRequiredError(decision.category);
  }
}
