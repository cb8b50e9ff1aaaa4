/**
 * Operation Encompass for every child: the force's system notifies one domestic abuse incident
 * with three children present — a pupil (by UPN), a home-educated child on the council's register
 * (by name, date of birth and postcode) and a toddler on the health visitor's caseload (by NHS
 * number). Each designated recipient reads its own notification under the Operation Encompass
 * purpose, without the family's consent (the statutory duty), and acknowledges it before its
 * deadline (the next school day on the recipient's calendar): the school's DSL for the pupil; the
 * council's Early Help team for the home-educated child; the health visitor and the council team
 * for the toddler. `npm run example:encompass` against the demo city (`npm start`).
 */
import {
  AcknowledgeEncompassNotificationDocument,
  CaseloadPageDocument,
  EncompassNotificationsDocument,
  NotifyPoliceIncidentDocument,
  RegisterChildDocument,
  type CaseloadPageQuery,
  type HubClient,
} from '../src/client';
import { connect, masked, run } from './support';
import { addDays, say, today } from './journey';

type Node = CaseloadPageQuery['children']['nodes'][number];

/** The first of the caller's children that `fits` (a real system knows its own). */
async function firstOwn(hub: HubClient, fits: (c: Node) => boolean): Promise<Node> {
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const { data } = await hub.execute(CaseloadPageDocument, { first: 100, after });
    const children: CaseloadPageQuery['children'] = data!.children;
    const found = children.nodes.find(fits);
    if (found) return found;
    if (!children.pageInfo.hasNextPage) break;
    after = children.pageInfo.endCursor;
  }
  throw new Error('no child of the caseload fits');
}

/** A letters-only name no demo child has. */
const syntheticName = () =>
  Array.from({ length: 9 }, (_, i) => String.fromCharCode((i ? 97 : 65) + Math.floor(Math.random() * 26))).join('');

/** Reads the recipient's unacknowledged notification for the child (the inbox applies it within moments). */
async function readAndAcknowledge(who: string, hub: HubClient, childId: string, reference: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Partial results: a notification of a child no longer on the recipient's roll comes back with
    // its fields null and a NO_RELATIONSHIP error; the rest are read.
    const { data } = await hub.execute(EncompassNotificationsDocument, { acknowledged: false });
    const mine = (data?.policeNotifications ?? []).find(
      (n) => n.childId === childId && n.policeReference === reference,
    );
    if (mine) {
      const { acknowledgePoliceNotification: ack } = await hub.request(AcknowledgeEncompassNotificationDocument, {
        id: mine.id,
      });
      const onTime = mine.deadline && ack.acknowledgedAt && ack.acknowledgedAt <= mine.deadline;
      say(
        `  ${who}: read notification ${mine.id} (route ${mine.route}, deadline ${mine.deadline}), acknowledged ${onTime ? 'on time' : 'LATE'}`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${who} received no notification for the child`);
}

run('example:encompass', async () => {
  const [police, school, council, healthVisitor] = await Promise.all([
    connect('svc-police-system', 'operation_encompass'),
    connect('demo-school-dsl', 'operation_encompass'),
    connect('demo-screener', 'operation_encompass'),
    connect('demo-health-visitor', 'operation_encompass'),
  ]);
  // The school's MIS knows its pupils' UPNs; the trust's system its caseload's NHS numbers.
  const pupil = await firstOwn(await connect('demo-school-dsl', 'direct_support'), (c) => Boolean(c.upn));
  const fourYearsAgo = addDays(today(), -4 * 365);
  const toddler = await firstOwn(await connect('demo-health-visitor', 'direct_support'), (c) =>
    Boolean(c.nhsNumber && c.dateOfBirth && c.dateOfBirth > fourYearsAgo),
  );
  // A child educated at home, on the council's register of children educated at home and on no roll.
  const homeEducated = {
    givenName: syntheticName(),
    familyName: `${syntheticName()}-Example`,
    dateOfBirth: addDays(today(), -10 * 365),
    postcode: 'LE2 9ZZ',
  };
  const { registerChild } = await (await connect('demo-screener', 'screening')).request(RegisterChildDocument, {
    input: homeEducated,
  });
  if (!registerChild.childId) throw new Error(`the home-educated child was not registered (${registerChild.outcome})`);
  say(
    `encompass: a pupil (UPN ${pupil.upn}), a home-educated child (hub id ${registerChild.childId}) and a toddler (NHS number ${masked(toddler.nhsNumber!)})`,
  );

  const reference = `OE-EXAMPLE-${Date.now()}`;
  const { notifyPoliceIncident } = await police.request(NotifyPoliceIncidentDocument, {
    input: {
      policeReference: reference,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      location: '1 Synthetic Row',
      circumstances: 'Domestic incident attended overnight (synthetic)',
      children: [
        { upn: pupil.upn!, present: true },
        { ...homeEducated, present: true },
        { nhsNumber: toddler.nhsNumber!, present: true, whereDuring: 'Asleep upstairs' },
      ],
    },
  });
  say(`  police notified: ${notifyPoliceIncident.status}, receipt ${notifyPoliceIncident.receiptId}`);

  await readAndAcknowledge('school DSL (pupil)', school, pupil.id, reference);
  await readAndAcknowledge('council Early Help team (home-educated child)', council, registerChild.childId, reference);
  await readAndAcknowledge('health visitor (toddler)', healthVisitor, toddler.id, reference);
  await readAndAcknowledge('council Early Help team (toddler)', council, toddler.id, reference);
});
