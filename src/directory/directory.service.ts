/**
 * Directory and signposting. Organisations publish their Early Help offer and
 * must name their Designated Lead for Safeguarding and Early Help (the partnership pledge). A
 * declined referral or a closed EHA is signposted to directory entries, recorded on the case (with
 * audit and a case event). Advice Point contacts are counted only: no child, no family, no case.
 */
import type { Db } from '../db';
import { findEha } from '../eha/eha.repo';
import { BadUserInputError, ForbiddenError, InvalidTransitionError, NoRelationshipError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { addDays } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { optionalText, requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { CLUSTERS, type Actor } from '../workflow/actor';
import { NEED_CATEGORY_KEYS } from '../workflow/needs';
import { findReferral } from '../referral/referral.repo';
import * as repo from './directory.repo';

export const DIRECTORY_ENTRY_KINDS = ['offer', 'advice_point'] as const;
export const OFFER_LEVELS = ['universal', 'targeted', 'single_agency'] as const;
export const CONTACT_CHANNELS = ['drop_in', 'phone', 'email'] as const;
export const CONTACT_TOPICS = [...NEED_CATEGORY_KEYS, 'other'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface PublishOfferInput {
  name: string;
  description: string;
  level: string;
  cluster?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  openingHours?: string | null;
  designatedLeadName: string;
  designatedLeadEmail: string;
  designatedLeadPhone?: string | null;
}

export class DirectoryService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  /** Publishes the caller's organisation's offer (never another organisation's). */
  async publishOffer(input: PublishOfferInput, actor: Actor): Promise<repo.DirectoryEntryRow> {
    const designatedLeadEmail = requireText('designatedLeadEmail', input.designatedLeadEmail, { max: 200 });
    if (!EMAIL.test(designatedLeadEmail))
      throw new BadUserInputError('designatedLeadEmail', 'must be an email address');
    const email = optionalText('email', input.email, 200);
    if (email && !EMAIL.test(email)) throw new BadUserInputError('email', 'must be an email address');
    return repo.insertEntry(this.db, {
      organisationId: actor.caller.organisationId,
      kind: 'offer',
      name: requireText('name', input.name, { max: 200 }),
      description: requireText('description', input.description, { max: 4000 }),
      level: requireOneOf('level', input.level, OFFER_LEVELS),
      cluster: input.cluster ? requireOneOf('cluster', input.cluster, CLUSTERS) : null,
      phone: optionalText('phone', input.phone, 50),
      email,
      address: optionalText('address', input.address, 300),
      openingHours: optionalText('openingHours', input.openingHours, 200),
      designatedLeadName: requireText('designatedLeadName', input.designatedLeadName, { max: 200 }),
      designatedLeadEmail,
      designatedLeadPhone: optionalText('designatedLeadPhone', input.designatedLeadPhone, 50),
      publishedBySubject: actor.caller.subject,
      publishedAt: this.clock.now(),
    });
  }

  search(filter: {
    kind?: string | null;
    level?: string | null;
    cluster?: string | null;
    text?: string | null;
  }): Promise<repo.DirectoryEntryRow[]> {
    return repo.searchEntries(this.db, {
      kind: filter.kind ? requireOneOf('kind', filter.kind, DIRECTORY_ENTRY_KINDS) : null,
      level: filter.level ? requireOneOf('level', filter.level, OFFER_LEVELS) : null,
      cluster: filter.cluster ? requireOneOf('cluster', filter.cluster, CLUSTERS) : null,
      text: optionalText('text', filter.text, 100),
    });
  }

  /** Signposts a declined referral or a closed EHA to directory entries, recorded on the child's case. */
  async signpost(
    input: { referralId?: string | null; ehaId?: string | null; entryIds: string[] },
    actor: Actor,
  ): Promise<repo.SignpostRow[]> {
    if (Boolean(input.referralId) === Boolean(input.ehaId))
      throw new BadUserInputError(
        input.referralId ? 'ehaId' : 'referralId',
        'give exactly one of referralId and ehaId',
      );
    if (!input.entryIds?.length) throw new BadUserInputError('entryIds', 'name at least one directory entry');
    const entryIds = [...new Set(input.entryIds.map((id, i) => requireUuid(`entryIds[${i}]`, id)))];
    let childId: string;
    let context: 'declined_referral' | 'closure';
    if (input.referralId) {
      const referral = await findReferral(this.db, requireUuid('referralId', input.referralId));
      await actor.access.requireWrite(
        referral?.childId ?? actor.audit.standIn(['referral', input.referralId]),
        'early_help',
      );
      if (!referral) throw new NoRelationshipError('early_help');
      if (referral.status !== 'declined') throw new InvalidTransitionError(referral.status, 'signpost');
      childId = referral.childId;
      context = 'declined_referral';
    } else {
      const eha = await findEha(this.db, requireUuid('ehaId', input.ehaId!));
      await actor.access.requireWrite(eha?.childId ?? actor.audit.standIn(['eha', input.ehaId!]), 'early_help');
      if (!eha) throw new NoRelationshipError('early_help');
      if (eha.status !== 'closed') throw new InvalidTransitionError(eha.status, 'signpost');
      childId = eha.childId;
      context = 'closure';
    }
    const found = new Set((await repo.entriesByIds(this.db, entryIds)).map((e) => e.id));
    entryIds.forEach((id) => {
      if (!found.has(id)) throw new BadUserInputError('entryIds', 'names an entry that is not in the directory');
    });
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await repo.insertSignposts(
        tx,
        entryIds.map((entryId) => ({
          childId,
          entryId,
          context,
          referralId: input.referralId ?? null,
          ehaId: input.ehaId ?? null,
          signpostedOn: partnershipDate(now),
          recordedBySubject: actor.caller.subject,
          recordedAt: now,
        })),
      );
      await recordCaseEvent(tx, {
        childId,
        kind: 'signposted',
        categories: ['early_help'],
        changedFields: ['signposts'],
        refs: input.referralId ? { referralId: input.referralId } : { ehaId: input.ehaId! },
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [{ childId, action: 'signpostCase', fields: ['signposts'] }]);
    });
    return repo.signpostsOf(this.db, childId);
  }

  async signpostsOf(childId: string, actor: Actor): Promise<repo.SignpostRow[]> {
    actor.access.requirePurpose();
    const id = requireUuid('childId', childId);
    await actor.access.requireRelationship(id, 'early_help');
    return repo.signpostsOf(this.db, id);
  }

  /** Counts one Advice Point contact. Nothing identifies the person: it is not a case record. */
  async recordAdvicePointContact(
    input: { advicePointId: string; contactedOn: string; topic: string; channel: string },
    actor: Actor,
  ): Promise<void> {
    const advicePointId = requireUuid('advicePointId', input.advicePointId);
    const contactedOn = requireIsoDate('contactedOn', input.contactedOn);
    if (contactedOn > partnershipDate(this.clock.now()))
      throw new BadUserInputError('contactedOn', 'cannot be in the future');
    const topic = requireOneOf('topic', input.topic, CONTACT_TOPICS);
    const channel = requireOneOf('channel', input.channel, CONTACT_CHANNELS);
    const [point] = await repo.entriesByIds(this.db, [advicePointId]);
    if (point?.kind !== 'advice_point') throw new BadUserInputError('advicePointId', 'is not an Advice Point');
    if (point.organisationId !== actor.caller.organisationId)
      throw new ForbiddenError("Only the Advice Point's own organisation counts its contacts");
    await repo.insertContact(this.db, {
      advicePointId,
      contactedOn,
      topic,
      channel,
      recordedBySubject: actor.caller.subject,
      recordedAt: this.clock.now(),
    });
  }

  async contactCounts(range: { from?: string | null; to?: string | null }) {
    const to = range.to ? requireIsoDate('to', range.to) : partnershipDate(this.clock.now());
    const from = range.from ? requireIsoDate('from', range.from) : addDays(to, -30);
    if (from > to) throw new BadUserInputError('from', 'must be on or before to');
    return repo.contactCounts(this.db, from, to);
  }
}
