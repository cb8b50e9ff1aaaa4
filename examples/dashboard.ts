/**
 * A partner dashboard: prints live changes to the cases its user works on (subscription
 * `caseChanged` over WebSocket), then exits after N of them. `npm run example:dashboard -- [N]`
 * (or EVENTS, default 3; CHILD_ID or CLUSTER to narrow; DASHBOARD_TIMEOUT_MS to give up; AFTER=<id>
 * to start with the changes made since that one, as a dashboard does after losing its connection).
 * Try it beside `npm run example:health`: the health visitor sees the trust's updates.
 */
import { CaseChangedDocument, type Cluster } from '../src/client';
import { connect, run } from './support';

const PERSONA = process.env.HUB_PERSONA ?? 'demo-health-visitor';

run('example:dashboard', async () => {
  const wanted = Number(process.argv[2] ?? process.env.EVENTS ?? 3);
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error('N must be a positive whole number');
  const timeoutMs = Number(process.env.DASHBOARD_TIMEOUT_MS ?? 0);
  const hub = await connect(PERSONA, 'direct_support');
  const changes = hub.subscribe(CaseChangedDocument, {
    childId: process.env.CHILD_ID ?? null,
    cluster: (process.env.CLUSTER as Cluster | undefined) ?? null,
    after: process.env.AFTER ?? null,
  });
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          console.error(`example:dashboard: no ${wanted} changes within ${timeoutMs} ms`);
          process.exit(1);
        }, timeoutMs)
      : null;
  console.log(`dashboard: listening for ${wanted} case change(s)`);
  let seen = 0;
  let lastId: string | null = null;
  try {
    for await (const { data, errors } of changes) {
      const change = data?.caseChanged;
      if (!change) continue;
      seen++;
      lastId = change.id;
      const what = change.kind
        ? `${change.kind} [${(change.categories ?? []).join(', ')}] fields ${(change.changedFields ?? []).join(', ')}`
        : `change not shown (${errors.map((e) => e.extensions?.code).join(', ')})`;
      console.log(`  #${change.id} ${change.occurredAt ?? ''} child ${change.childId}: ${what}`);
      if (seen >= wanted) break;
    }
  } finally {
    if (timer) clearTimeout(timer);
    await hub.close();
  }
  console.log(`dashboard: ${seen} change(s) received${lastId ? `; to carry on from here: AFTER=${lastId}` : ''}`);
});
