/**
 * A dashboard's socket closes when its token expires — on a timer, not at the next event, which
 * may never come — so the client knows to renew its token and resume (`after`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { subscribe, until } from './support/ws-client';

const CASE_CHANGED = 'subscription ($childId: ID) { caseChanged(childId: $childId) { id kind } }';

let t: TestHub;
let school: string;
let pupil: string;

beforeAll(async () => {
  t = await startTestHub();
  const f = fixture(t.database.db);
  school = await f.org('expiry-school', 'school');
  pupil = (await f.child()).id;
  await f.involve(pupil, school, 'on_roll');
});
afterAll(async () => {
  await t.close();
});

describe('token expiry on an open subscription', () => {
  it('closes the socket with 4403 when the token expires, with no event in between', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const token = await t.token({ role: 'school_dsl', org: school, sub: 'dsl-expiry', expiresIn: expiresAt });
    const before = t.hub.subscriptions!.subscribers;
    const sub = subscribe(t.url, { token }, CASE_CHANGED, { childId: pupil });
    try {
      await until(() => t.hub.subscriptions!.subscribers > before, 10_000, 'the subscription to be active');
      const closed = await Promise.race([sub.closed, new Promise<null>((r) => setTimeout(() => r(null), 8_000))]);
      expect(closed).toMatchObject({ code: 4403, reason: 'Forbidden: token expired' });
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000 - 50);
      expect(sub.results).toHaveLength(0);
    } finally {
      await sub.dispose().catch(() => {});
    }
  });
});
