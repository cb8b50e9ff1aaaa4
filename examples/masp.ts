/**
 * The Multi Agency Support Panel: an EHA whose needs are not being met after review — no
 * improvement, and a history of re-referrals — goes to MASP instead of closing; the MASP chair
 * records the panel's outcome (here: resources agreed), and Early Help carries on with them.
 * `npm run example:masp -- [outcome]` against the demo city (`npm start`); outcomes as in the
 * schema's MaspOutcome.
 */
import { CloseEhaDocument, RecordMaspOutcomeDocument, type MaspOutcome } from '../src/client';
import { actor, referAndAccept, say, tafAndPlan } from './journey';
import { run } from './support';

run('example:masp', async () => {
  const outcome = (process.argv[2] ?? 'resources_agreed') as MaspOutcome;
  const accepted = await referAndAccept('MASP');
  const planned = await tafAndPlan(accepted.eha);
  const fsm = await (await actor('fsm')).as('service_planning');
  const { closeEha: referred } = await fsm.request(CloseEhaDocument, {
    id: planned.id,
    expectedVersion: planned.version!,
    outcome: 'needs_not_met_masp',
    rationale: 'No improvement after two reviews; the family has been referred three times in two years',
    maspCriteria: ['no_improvement', 'history_of_re_referrals'],
  });
  say(`  needs not met: referred to MASP (status ${referred.status})`);
  const chair = await (await actor('maspChair')).as('service_planning');
  const { recordMaspOutcome } = await chair.request(RecordMaspOutcomeDocument, {
    ehaId: referred.id,
    expectedVersion: referred.version!,
    outcome,
    rationale: 'Panel decision: intensive family support for twelve weeks',
  });
  say(`  MASP outcome ${recordMaspOutcome.maspOutcome}: the EHA is ${recordMaspOutcome.status}`);
});
