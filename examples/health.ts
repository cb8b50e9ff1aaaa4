/**
 * A community trust's health system: posts a Universal Plus update for a child by NHS number
 * under its own record id, then retries exactly as a system would after a timeout — the hub
 * answers the retry with the same result and changes nothing. `npm run example:health -- [NHS]`
 * (or NHS_NUMBER; HEALTH_RECORD_ID fixes the record id). Without a number it takes the first
 * traced NHS number on the trust's caseload.
 */
import {
  CaseloadDocument,
  PostHealthUpdateDocument,
  type CaseloadQuery,
  type HubClient,
  type PostHealthUpdateInput,
} from '../src/client';
import { connect, masked, run } from './support';

const PERSONA = 'svc-health-system';

async function firstTracedNhsNumber(hub: HubClient): Promise<string> {
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const { children }: CaseloadQuery = await hub.request(CaseloadDocument, { first: 100, after });
    const child = children.nodes.find((c) => c.nhsNumber && c.nhsNumberTraced);
    if (child?.nhsNumber) return child.nhsNumber;
    if (!children.pageInfo.hasNextPage) break;
    after = children.pageInfo.endCursor;
  }
  throw new Error('no child on the caseload has a traced NHS number');
}

run('example:health', async () => {
  const hub = await connect(PERSONA, 'direct_support');
  const nhsNumber = process.argv[2] ?? process.env.NHS_NUMBER ?? (await firstTracedNhsNumber(hub));
  const input: PostHealthUpdateInput = {
    recordId: process.env.HEALTH_RECORD_ID ?? `example-${Date.now()}`,
    nhsNumber,
    level: 'UNIVERSAL_PLUS',
    effectiveDate: new Date().toISOString().slice(0, 10),
    contactType: 'school nurse drop-in',
    summary: 'Example: additional support agreed with the family',
  };
  console.log(`health system: posting ${input.level} for NHS number ${masked(nhsNumber)} as record ${input.recordId}`);
  const first = (await hub.request(PostHealthUpdateDocument, { input })).postHealthUpdate;
  console.log(`  first post: ${first.status}, receipt ${first.receiptId}`);
  // A retry with the same record id (as after a lost response): same receipt, nothing new.
  const retry = (await hub.request(PostHealthUpdateDocument, { input })).postHealthUpdate;
  console.log(`  retry:      ${retry.status}, receipt ${retry.receiptId}`);
  if (JSON.stringify(first) !== JSON.stringify(retry)) throw new Error('the retry gave a different result');
  console.log('  retry gave the same result');
});
