/**
 * Referral to closure, as the protocol walks it: a school refers a child with three needs and the
 * family's written consent; EH DAS screens and accepts it for an Early Help Assessment; the Family
 * Support Manager chairs the first Team Around the Family, which appoints the lead practitioner and
 * agrees the plan; the lead practitioner reviews it (level of need recorded); the needs are met and
 * the case closes with the family signposted to universal services.
 * `npm run example:referral` against the demo city (`npm start`).
 */
import { CloseEhaDocument, RecordReviewDocument } from '../src/client';
import { actor, addDays, referAndAccept, say, tafAndPlan, today } from './journey';
import { run } from './support';

run('example:referral', async () => {
  const accepted = await referAndAccept('referral → closure');
  const planned = await tafAndPlan(accepted.eha);
  const lead = await (await actor('lead')).as('direct_support');
  const { recordReview } = await lead.request(RecordReviewDocument, {
    input: {
      ehaId: planned.id,
      expectedVersion: planned.version!,
      heldOn: today(),
      levelOfNeed: 'universal',
      nextReviewDate: addDays(today(), 42),
      progress: (planned.planActions ?? []).map((a) => ({
        actionId: a.id,
        status: 'done' as const,
        note: 'Completed; the family took part throughout',
      })),
    },
  });
  say(`  reviewed by the lead practitioner: level of need now universal, status ${recordReview.status}`);
  const fsm = await (await actor('fsm')).as('direct_support');
  const { closeEha } = await fsm.request(CloseEhaDocument, {
    id: planned.id,
    expectedVersion: recordReview.version!,
    outcome: 'needs_met',
    rationale: 'Attendance back above 95%, the tenancy is secure and the family says home is calmer',
    signposting: ['Children’s centre stay and play', 'School nursing drop-in'],
    familyFeedback: 'The attendance plan and the debt advice made the difference; home is calmer.',
  });
  say(
    `  closed: ${closeEha.status}, outcome ${closeEha.closureOutcome}; the family is signposted to universal services${closeEha.familyFeedback ? ' and its feedback recorded' : ''}`,
  );
});
