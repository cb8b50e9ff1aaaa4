/**
 * Safeguarding overrides (the partnership's Early Help protocol): information may be shared without consent only where
 * seeking it would place the child at increased risk of significant harm. An override is
 * recorded, justified, time-limited (at most 72 hours; renew by declaring again) and flagged for
 * DPO review — never a silent bypass. The DPO's review belongs to the audit module.
 */
import type { DataCategory } from '../access/categories';
import type { Db } from '../db';
import { BadUserInputError, ForbiddenError, InvalidTransitionError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import type { Clock } from '../shared/clock';
import { requireText, requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import * as repo from './consent.repo';
import type { OverrideRow } from './consent.repo';
import { optionalIds, requireCategories, requireInstant } from './consent.rules';

/** A justification must say why seeking consent would raise the risk: a phrase is not enough. */
export const MIN_JUSTIFICATION = 40;
export const MAX_JUSTIFICATION = 4000;
/** Longest life of one override; beyond it the declarer must declare again (and be reviewed again). */
export const MAX_OVERRIDE_HOURS = 72;

export interface DeclareOverrideInput {
  childId: string;
  categories: readonly string[];
  justification: string;
  expiresAt: string;
  /** Organisations the override opens its categories to; default: the declaring organisation and the council Early Help service. */
  recipientOrganisationIds?: readonly string[] | null;
}

export interface OverrideServiceOptions {
  db: Db;
  clock: Clock;
}

export class OverrideService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: OverrideServiceOptions) {
    this.db = db;
    this.clock = clock;
  }

  async declare(input: DeclareOverrideInput, { caller, access, audit }: Actor): Promise<OverrideRow> {
    const now = this.clock.now();
    const childId = requireUuid('childId', input.childId);
    const categories = requireCategories('categories', input.categories);
    const justification = requireText('justification', input.justification, {
      min: MIN_JUSTIFICATION,
      max: MAX_JUSTIFICATION,
    });
    const expiresAt = requireInstant('expiresAt', input.expiresAt);
    if (expiresAt <= now) throw new BadUserInputError('expiresAt', 'must be in the future');
    if (expiresAt.getTime() - now.getTime() > MAX_OVERRIDE_HOURS * 3_600_000) {
      throw new BadUserInputError(
        'expiresAt',
        `must be at most ${MAX_OVERRIDE_HOURS} hours from now; declare again to renew`,
      );
    }
    const named =
      input.recipientOrganisationIds == null
        ? null
        : optionalIds('recipientOrganisationIds', input.recipientOrganisationIds);
    if (named && named.length === 0)
      throw new BadUserInputError(
        'recipientOrganisationIds',
        'name at least one organisation, or leave it out for your organisation and the council Early Help service',
      );
    if (!access.permission.mayDeclareOverride)
      throw new ForbiddenError('Your role may not declare a safeguarding override');
    await access.requireRelationship(childId);
    const recipientOrganisationIds = named ?? (await this.defaultRecipients(caller.organisationId));
    if (named) {
      const known = await repo.knownOrganisationIds(this.db, named);
      if (named.some((id) => !known.has(id)))
        throw new BadUserInputError(
          'recipientOrganisationIds',
          'names an organisation that is not a partner of the hub',
        );
    }
    const created = await this.db.transaction(async (tx) => {
      const override = await repo.insertOverride(tx, {
        childId,
        categories,
        justification,
        expiresAt,
        declaredAt: now,
        reviewStatus: 'pending',
        recipientOrganisationIds,
        declaredBySubject: caller.subject,
        declaredByOrganisationId: caller.organisationId,
        declaredByRole: caller.role,
      });
      await recordCaseEvent(tx, {
        childId,
        kind: 'override_declared',
        categories,
        changedFields: ['safeguardingOverrides'],
        refs: { overrideId: override.id, action: 'declared' },
        actor: caller,
        at: now,
      });
      await audit.changedIn(tx, [
        { childId, action: 'declareSafeguardingOverride', fields: ['safeguardingOverrides'] },
      ]);
      return override;
    });
    return created;
  }

  /** Ends an override early; only the declaring organisation may. */
  async revoke(id: string, { caller, audit }: Actor): Promise<OverrideRow> {
    const overrideId = requireUuid('id', id);
    const now = this.clock.now();
    const revoked = await this.db.transaction(async (tx) => {
      const override = await repo.lockOverride(tx, overrideId);
      // A missing override and another organisation's look the same, and both are audited as an
      // attempt: under the child for a held override, under a keyed stand-in for a missing one.
      if (!override || override.declaredByOrganisationId !== caller.organisationId) {
        audit.attempted(override?.childId ?? null, ['override', overrideId]);
        throw new ForbiddenError('Only the organisation that declared an override may revoke it');
      }
      if (override.revokedAt) throw new InvalidTransitionError('revoked', 'revoke');
      if (override.expiresAt <= now) throw new InvalidTransitionError('expired', 'revoke');
      const row = await repo.revokeOverride(tx, overrideId, now);
      await recordCaseEvent(tx, {
        childId: row.childId,
        kind: 'override_declared',
        categories: row.categories as DataCategory[],
        changedFields: ['revokedAt'],
        refs: { overrideId: row.id, action: 'revoked' },
        actor: caller,
        at: now,
      });
      await audit.changedIn(tx, [
        { childId: row.childId, action: 'revokeSafeguardingOverride', fields: ['revokedAt'] },
      ]);
      return row;
    });
    return revoked;
  }

  /** The declaring organisation and the council's Early Help service: who acts on a safeguarding concern. */
  private async defaultRecipients(declaringOrganisationId: string): Promise<string[]> {
    const council = await repo.councilEarlyHelpOrganisationIds(this.db);
    return [...new Set([declaringOrganisationId, ...council])].sort();
  }

  async ofChild(childId: string): Promise<OverrideRow[]> {
    return repo.overridesOfChild(this.db, childId);
  }
}
