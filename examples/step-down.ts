/**
 * Step up and step down: an EHA whose plan is not keeping the child safe is stepped up to Duty and
 * Advice and stays open until the Single Assessment's outcome is known; social care leads, the EHA
 * closes. When the family is ready, after a Child in Need meeting an EH DAS representative
 * attended, the social worker steps the case down with the family's written consent: the single
 * assessment becomes a new EHA (the family's choice over single-agency Family Support Work) whose
 * first Team Around the Family is due within 3 weeks, chaired by the Family Support Manager with
 * the social worker attending.
 * `npm run example:step-down` against the demo city (`npm start`).
 */
import { EhaNowDocument, RecordSingleAssessmentOutcomeDocument, StepDownDocument, StepUpDocument } from '../src/client';
import { actor, referAndAccept, say, tafAndPlan, today } from './journey';
import { run } from './support';

run('example:step-down', async () => {
  const accepted = await referAndAccept('step up and step down');
  const planned = await tafAndPlan(accepted.eha);
  const [fsm, socialWorker] = await Promise.all([actor('fsm'), actor('socialWorker')]);
  const { stepUp } = await (await fsm.as('safeguarding')).request(StepUpDocument, {
    ehaId: planned.id,
    expectedVersion: planned.version!,
    rationale: 'A disclosure at school: immediate safeguarding concern',
    socialWorkerId: socialWorker.practitionerId,
  });
  say(`  stepped up to Duty and Advice: the EHA stays open (${stepUp.status}) until the Single Assessment outcome`);
  const social = await socialWorker.as('safeguarding');
  const { recordSingleAssessmentOutcome: assessed } = await social.request(RecordSingleAssessmentOutcomeDocument, {
    ehaId: stepUp.id,
    expectedVersion: stepUp.version!,
    outcome: 'social_care_leads',
  });
  say(`  Single Assessment: social care leads; the EHA is ${assessed.status} (${assessed.closureOutcome})`);

  // EH DAS sat in on the Child in Need meeting that agreed the step down; the family chose an EHA.
  const screener = await actor('screener');
  const { stepDown } = await (await socialWorker.as('direct_support')).request(StepDownDocument, {
    childId: accepted.childId,
    singleAssessmentRef: `SA-EXAMPLE-${Date.now()}`,
    consentId: accepted.consentId,
    familySupportManagerId: fsm.practitionerId,
    cluster: 'central',
    meeting: 'cin_meeting',
    meetingHeldOn: today(),
    ehDasRepresentativeId: screener.practitionerId,
    support: 'early_help_assessment',
  });
  say(
    `  stepped down after a ${stepDown.stepDownMeeting} EH DAS attended, on written consent, to ${stepDown.stepDownSupport}: new EHA ${stepDown.id} (origin ${stepDown.origin}), first TAF due by ${stepDown.firstTafDueBy}`,
  );
  const firstTaf = await tafAndPlan(stepDown, [socialWorker.organisationId]);
  const { eha } = await (await fsm.as('direct_support')).request(EhaNowDocument, { id: firstTaf.id });
  say(
    `  after step down: first TAF on ${eha?.firstTafOn} ${eha?.firstTafOnTime ? 'within 3 weeks' : 'LATE'}, the social worker attending; status ${eha?.status}`,
  );
});
