/**
 * A school MIS plugin: looks a pupil up by UPN and shows the pupil's open Early Help Assessment as
 * the school may see it — status, lead practitioner, next review, and the plan actions the school
 * owns. `npm run example:school -- [UPN]` (or PUPIL_UPN); without one it takes the first pupil on
 * the school's roll with an open EHA (a real plugin has the UPN from its own MIS).
 */
import { PupilOpenEhaDocument, RollDocument, type HubClient, type RollQuery } from '../src/client';
import { connect, run } from './support';

const PERSONA = 'demo-school-dsl';

async function firstPupilWithOpenEha(hub: HubClient): Promise<string> {
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    // Partial results: a pupil whose family has not consented to sharing Early Help with the
    // school comes back with openEha null and a CONSENT_REQUIRED error for that field.
    const { data } = await hub.execute(RollDocument, { first: 100, after });
    const children: RollQuery['children'] = data!.children;
    const pupil = children.nodes.find((c) => c.openEha && c.upn);
    if (pupil?.upn) return pupil.upn;
    if (!children.pageInfo.hasNextPage) break;
    after = children.pageInfo.endCursor;
  }
  throw new Error('no pupil on the roll has an open EHA');
}

run('example:school', async () => {
  const hub = await connect(PERSONA, 'direct_support');
  const upn = process.argv[2] ?? process.env.PUPIL_UPN ?? (await firstPupilWithOpenEha(hub));
  const { child } = await hub.request(PupilOpenEhaDocument, { upn });
  if (!child) throw new Error('pupil not found');
  const eha = child.openEha;
  console.log(`school MIS: pupil ${upn} (hub id ${child.id})`);
  if (!eha) {
    console.log('  no open EHA');
    return;
  }
  const lead = eha.leadPractitioner;
  console.log(
    `  open EHA ${eha.id}: status ${eha.status}, cluster ${eha.cluster}, next review ${eha.nextReviewDue ?? 'not set'}`,
  );
  console.log(
    `  lead practitioner: ${lead ? `${lead.name} (${lead.organisationName ?? 'organisation not shown'})` : 'not yet appointed'}`,
  );
  const actions = eha.planActions ?? [];
  console.log(`  plan actions owned by the school: ${actions.length}`);
  for (const action of actions)
    console.log(`    - due ${action.dueDate ?? '?'} [${action.status ?? 'open'}] ${action.description ?? ''}`);
});
