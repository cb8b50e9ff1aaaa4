/**
 * The simulator as its own process (`npm run ll-sim`) keeps what it received on disk: killed
 * (SIGKILL) and started again, it holds the same records and person ids and never hands out an
 * id twice — and the hub holds each Liquid Logic person id on one record only.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { children, outbox } from '../schema';
import { HttpCaseRecordAdapter } from '../adapters/liquid-logic/http-adapter';
import { OutboxWorker } from '../src/outbox/worker';
import { createTestDatabase, type TestDatabase } from './support/database';
import { cleanEnv, freePort, npmScript, ROOT } from './support/process';
import { simAdmin } from './liquid-logic.support';
import { ChildService } from '../src/child/child.service';
import { systemClock } from '../src/shared/clock';

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'll-sim-'));
});
afterAll(async () => {
  await database.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function startSimProcess(port: number, adminPort: number, stateFile: string) {
  const [node, ...args] = npmScript('ll-sim');
  const child = spawn(node!, args, {
    cwd: ROOT,
    env: cleanEnv({ LL_SIM_PORT: String(port), LL_SIM_ADMIN_PORT: String(adminPort), LL_SIM_STATE_FILE: stateFile }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const admin = simAdmin(`http://127.0.0.1:${adminPort}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (
      await admin.stats().then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('simulator process did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    admin,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('the simulator process survives a restart with its ids', () => {
  it('killed and started again: same records, same person ids, a new person gets a new id', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const stateFile = join(dir, 'state.json');
    const childrenService = new ChildService({ db: database.db, clock: systemClock });
    const register = async (n: number) => {
      const r = await childrenService.register(
        {
          givenName: `Restart${n}`,
          familyName: 'Case',
          dateOfBirth: '2016-03-15',
          postcode: 'LE1 1AA',
          gender: 'female',
          confirmNoMatch: true,
        },
        { subject: 'test', organisationId: '00000000-0000-4000-8000-000000000001' },
      );
      if (r.outcome !== 'created') throw new Error('not created');
      return r.child.id;
    };
    const worker = () =>
      new OutboxWorker({
        db: database.db,
        adapter: new HttpCaseRecordAdapter({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 }),
        baseBackoffMs: 10,
        maxBackoffMs: 50,
        changesPollMs: 0,
      });
    const drain = async () => {
      for (let i = 0; i < 20 && (await worker().runOnce()).claimed > 0; i++);
    };

    let sim = await startSimProcess(port, adminPort, stateFile);
    const first = await register(1);
    await drain();
    const before = await sim.admin.records();
    expect(before).toHaveLength(1);
    await sim.kill();

    sim = await startSimProcess(port, adminPort, stateFile);
    try {
      expect(await sim.admin.records()).toEqual(before);
      const second = await register(2);
      await drain();
      const ids = await database.db.select({ id: children.id, ll: children.liquidLogicPersonId }).from(children);
      const llOf = (id: string) => ids.find((c) => c.id === id)!.ll;
      expect(llOf(first)).toBe(before[0]!.remoteId);
      expect(llOf(second)).toMatch(/^LL\d+$/);
      expect(llOf(second)).not.toBe(llOf(first));
      expect((await database.db.select().from(outbox)).every((r) => r.status === 'delivered')).toBe(true);
      // The hub holds a Liquid Logic person id on one record only.
      await expect(
        database.db
          .update(children)
          .set({ liquidLogicPersonId: llOf(first) })
          .where(eq(children.id, second)),
      ).rejects.toThrow();
    } finally {
      await sim.kill();
    }
  });
});
