/**
 * Merges reviewed by two people. A merge is first a proposal by an EH DAS screener, with the
 * reason and the matcher's explanation of the two records; a different screener approves it
 * (which performs the merge) or rejects it. A performed merge can be undone: every value the merge
 * changed, as its ledger records, is put back, and the merged record is live again.
 *
 * The undo rule: a ledger row is put back only if it still holds the value the merge wrote (the
 * moved row still points at the survivor; the identifier the survivor took is unchanged). If any
 * row was since deleted or moved again (a later merge of the survivor, a reassignment), nothing is
 * undone and CONFLICT names the table. Changes to a moved row's other columns travel with it: the
 * row is about the child it was written for. Rows written to the survivor after the merge stay
 * with the survivor.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { ChildService } from '../child/child.service';
import { findByIds } from '../child/child.repo';
import { isUniqueViolation, type Db, type Tx } from '../db';
import { BadUserInputError, ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { scorePair } from '../matching/score';
import type { CandidateExplanation } from '../matching/matcher';
import type { Clock } from '../shared/clock';
import { requireOneOf, requireText, requireUuid } from '../shared/validate';
import * as repo from './child-merge.repo';

export const MERGE_PROPOSAL_STATUSES = ['pending', 'approved', 'rejected', 'undone'] as const;
export type MergeProposalStatus = (typeof MERGE_PROPOSAL_STATUSES)[number];

export interface ChildMergeReviewOptions {
  db: Db;
  clock: Clock;
  children: ChildService;
}

export interface UndoneMerge {
  merge: repo.ChildMergeRow;
  /** Ledger rows put back (moved rows and the children columns the merge set). */
  restored: number;
}

const REASON = { min: 10, max: 1000 };

export class ChildMergeReview {
  constructor(private readonly deps: ChildMergeReviewOptions) {}

  /** Files a proposal; nothing is merged. */
  async propose(
    input: { fromId: string; intoId: string; reason: string },
    caller: Caller,
    audit: AuditCollector,
  ): Promise<repo.ProposalRow> {
    const fromId = requireUuid('fromId', input.fromId);
    const intoId = requireUuid('intoId', input.intoId);
    if (fromId === intoId) throw new BadUserInputError('intoId', 'must differ from fromId');
    const reason = requireText('reason', input.reason, REASON);
    return this.deps.db.transaction(async (tx) => {
      // Locked, so two screeners proposing the same pair at once file one proposal.
      await repo.lockChildren(tx, [fromId, intoId]);
      const [from, into] = [(await findByIds(tx, [fromId]))[0], (await findByIds(tx, [intoId]))[0]];
      if (!from) throw new BadUserInputError('fromId', 'no such child record');
      if (!into) throw new BadUserInputError('intoId', 'no such child record');
      if (from.mergedInto) throw new ConflictError('fromId has already been merged', { field: 'fromId' });
      if (into.mergedInto)
        throw new ConflictError('intoId has been merged; propose its surviving record', { field: 'intoId' });
      if (from.nhsNumber && into.nhsNumber && from.nhsNumber !== into.nhsNumber)
        throw new BadUserInputError('fromId', 'the two records carry different NHS numbers');
      if (await repo.findPendingForPair(tx, fromId, intoId))
        throw new ConflictError('A proposal to merge these two records is already pending', { field: 'fromId' });
      // Unborn babies (an expected date, no date of birth) are not scored, as at registration.
      const scored = from.dateOfBirth && into.dateOfBirth ? scorePair(from, into) : null;
      const explanation: CandidateExplanation | null = scored
        ? { childId: intoId, score: scored.score, band: scored.band, rule: scored.rule, fields: scored.fields }
        : null;
      const proposal = await repo.insertProposal(tx, {
        fromChildId: fromId,
        intoChildId: intoId,
        reason,
        explanation,
        proposedBy: caller.subject,
        proposedByOrganisationId: caller.organisationId,
        proposedAt: this.deps.clock.now(),
      });
      await audit.changedIn(tx, [
        { childId: fromId, action: 'proposeChildMerge:from', fields: ['mergeProposal'] },
        { childId: intoId, action: 'proposeChildMerge:into', fields: ['mergeProposal'] },
      ]);
      return proposal;
    });
  }

  /** Approves a pending proposal and performs the merge, in one transaction. The proposer may not approve. */
  async approve(id: string, caller: Caller, audit: AuditCollector): Promise<repo.ProposalRow> {
    const proposalId = requireUuid('id', id);
    return this.deps.db.transaction(async (tx) => {
      const proposal = await this.pending(tx, proposalId, 'approve');
      if (proposal.proposedBy === caller.subject)
        throw new ForbiddenError(
          'A merge needs two people: you proposed this one, so a different EH DAS screener must approve it',
          { field: 'id', reason: 'proposer_cannot_approve' },
        );
      const { mergeId } = await this.deps.children.mergeIn(tx, {
        fromId: proposal.fromChildId,
        intoId: proposal.intoChildId,
        reason: proposal.reason,
        mergedBy: caller.subject,
        actor: caller,
        audit,
        action: 'approveChildMerge',
      });
      return repo.decideProposal(tx, proposalId, {
        status: 'approved',
        decidedBy: caller.subject,
        decidedAt: this.deps.clock.now(),
        decisionReason: null,
        mergeId,
      });
    });
  }

  /** Rejects a pending proposal with a reason; both records stay as they are. The proposer may withdraw their own. */
  async reject(id: string, reason: string, caller: Caller, audit: AuditCollector): Promise<repo.ProposalRow> {
    const proposalId = requireUuid('id', id);
    const why = requireText('reason', reason, REASON);
    return this.deps.db.transaction(async (tx) => {
      const proposal = await this.pending(tx, proposalId, 'reject');
      const decided = await repo.decideProposal(tx, proposalId, {
        status: 'rejected',
        decidedBy: caller.subject,
        decidedAt: this.deps.clock.now(),
        decisionReason: why,
        mergeId: null,
      });
      await audit.changedIn(tx, [
        { childId: proposal.fromChildId, action: 'rejectChildMerge:from', fields: ['mergeProposal'] },
        { childId: proposal.intoChildId, action: 'rejectChildMerge:into', fields: ['mergeProposal'] },
      ]);
      return decided;
    });
  }

  private async pending(tx: Tx, id: string, action: string): Promise<repo.ProposalRow> {
    const proposal = await repo.lockProposal(tx, id);
    if (!proposal) throw new NotFoundError('Merge proposal');
    if (proposal.status !== 'pending') throw new InvalidTransitionError(proposal.status, action);
    return proposal;
  }

  /**
   * Undoes a performed merge exactly, from its ledger: the survivor's identifiers taken from the
   * merged record first (so the merged record can hold them again), then the merged record's
   * redirect, then every moved row. All or nothing (see the rule at the top of this file).
   */
  async undo(mergeIdGiven: string, reason: string, caller: Caller, audit: AuditCollector): Promise<UndoneMerge> {
    const mergeId = requireUuid('mergeId', mergeIdGiven);
    const why = requireText('reason', reason, REASON);
    try {
      return await this.deps.db.transaction(async (tx) => {
        const merge = await repo.lockMerge(tx, mergeId);
        if (!merge) throw new NotFoundError('Merge');
        if (merge.undoneAt) throw new ConflictError('This merge has already been undone', { field: 'mergeId' });
        const locked = await repo.lockChildren(tx, [merge.fromChildId, merge.intoChildId]);
        const into = locked.find((r) => r.id === merge.intoChildId);
        if (into?.merged_into)
          throw new ConflictError('The surviving record has since been merged into another; undo that merge first', {
            field: 'mergeId',
          });
        const groups = await repo.ledgerGroups(tx, mergeId);
        let restored = 0;
        // The children columns one at a time, newest first: the unique indexes on live identifiers see each step.
        const childSeqs = groups
          .filter((g) => g.tableName === 'children')
          .flatMap((g) => g.seqs.map((seq) => ({ g, seq })))
          .sort((a, b) => b.seq - a.seq);
        for (const { g, seq } of childSeqs) restored += await this.revertOrRefuse(tx, mergeId, g, [seq]);
        for (const g of groups.filter((g) => g.tableName !== 'children'))
          restored += await this.revertOrRefuse(tx, mergeId, g, g.seqs);
        const undone = await repo.markUndone(tx, mergeId, caller.subject, why, this.deps.clock.now());
        await repo.markProposalUndone(tx, mergeId);
        for (const childId of [merge.intoChildId, merge.fromChildId])
          await recordCaseEvent(tx, {
            childId,
            kind: 'child_unmerged',
            categories: ['identity', 'identifiers'],
            changedFields: ['mergedFrom'],
            refs: { fromChildId: merge.fromChildId, intoChildId: merge.intoChildId },
            actor: caller,
            at: this.deps.clock.now(),
          });
        await audit.changedIn(tx, [
          { childId: merge.fromChildId, action: 'undoChildMerge:restored', fields: ['mergedInto', 'links'] },
          { childId: merge.intoChildId, action: 'undoChildMerge:survivor', fields: ['links'] },
        ]);
        return { merge: undone, restored };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('A row put back would collide with one written since the merge; nothing was undone', {
          field: 'mergeId',
        });
      throw error;
    }
  }

  private async revertOrRefuse(tx: Tx, mergeId: string, group: repo.LedgerGroup, seqs: number[]): Promise<number> {
    const n = await repo.revert(tx, mergeId, group, seqs);
    if (n !== seqs.length)
      throw new ConflictError(
        `${seqs.length - n} row(s) of ${group.tableName}.${group.columnName} the merge moved were since deleted or changed; nothing was undone`,
        { field: 'mergeId', table: group.tableName },
      );
    return n;
  }

  /**
   * Proposals with a status, oldest first, in pages. Each names two records: audited as an
   * identification of both, as the review queue of held submissions is.
   */
  async list(
    statusGiven: string,
    first: number,
    after: string | null,
    audit: AuditCollector,
  ): Promise<{ rows: repo.ProposalRow[]; hasNextPage: boolean }> {
    const status = requireOneOf('status', statusGiven, MERGE_PROPOSAL_STATUSES);
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw new BadUserInputError('first', 'must be between 1 and 200');
    const rows = await repo.listProposals(this.deps.db, status, after ? parseCursor(after) : null, first + 1);
    const page = rows.slice(0, first);
    for (const row of page) {
      audit.identified(row.fromChildId, 'ChildMergeProposal.fromChildId');
      audit.identified(row.intoChildId, 'ChildMergeProposal.intoChildId');
    }
    return { rows: page, hasNextPage: rows.length > first };
  }
}

export function proposalCursorKey(row: repo.ProposalRow): string {
  return `${row.proposedAt.toISOString()}|${row.id}`;
}

function parseCursor(key: string): { proposedAt: Date; id: string } {
  const [at, id] = key.split('|');
  return { proposedAt: new Date(at!), id: id! };
}
