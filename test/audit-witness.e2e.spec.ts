/**
 * The witness as its own process (`npm run audit:witness`) on a random port, and the hub's
 * publisher. It accepts a consistent sequence of checkpoints, checking each consistency proof
 * itself; refuses a forked or rolled-back log even when correctly signed, and a checkpoint signed
 * by another key; keeps the refused note as evidence; and after a restart still holds the last
 * checkpoint it accepted. With a hub: a database restored from a backup and grown again (another
 * history under the same key) is refused, and the refusal is logged and sticks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeralAuditKeys, type AuditKeys } from '../src/audit/audit-keys';
import { openCheckpoint, signCheckpoint } from '../src/audit/checkpoint';
import { memoryCheckpointStore } from '../src/audit/checkpoint-store';
import { consistencyProof, leafHash, rootOf, type Hash } from '../src/audit/merkle';
import { WitnessPublisher } from '../src/audit/witness-client';
import { fixedClock } from '../src/shared/clock';
import { fixture } from './support/fixtures';
import { startTestHub } from './support/hub';
import { memoryLogger } from './support/memory-logger';
import { npmScript, startHubProcess, type HubProcess } from './support/process';

const dirs: string[] = [];
const procs: HubProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.kill();
    await p.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startWitness(dir: string, key: string): Promise<HubProcess> {
  return startHubProcess({}, 30_000, [...npmScript('audit:witness'), '--dir', dir, '--key', key]).then((p) => {
    procs.push(p);
    return p;
  });
}

const leavesOf = (tag: string, n: number): Hash[] => Array.from({ length: n }, (_, i) => leafHash(`${tag}-${i}`));

function note(keys: AuditKeys, leaves: Hash[], size: number): string {
  return signCheckpoint(
    {
      origin: keys.name,
      treeSize: size,
      rootHash: rootOf(leaves.slice(0, size)),
      time: new Date('2026-05-04T09:00:00Z'),
    },
    keys,
  );
}

const prover = (leaves: Hash[]) => async (from: number, to: number) => consistencyProof(leaves, from, to);

async function heldSize(w: HubProcess): Promise<number | null> {
  const res = await fetch(`${w.base}/checkpoint`);
  if (res.status === 404) return null;
  return openCheckpoint(await res.text(), KEY_OF.get(w)!).treeSize;
}
const KEY_OF = new Map<HubProcess, string>();

describe('audit witness process', () => {
  it('accepts a consistent sequence, refuses a fork, a rollback and a foreign key, and keeps its checkpoint across a restart', async () => {
    const keys = ephemeralAuditKeys();
    const dir = mkdtempSync(join(tmpdir(), 'witness-'));
    dirs.push(dir);
    let w = await startWitness(dir, keys.verifierKey);
    KEY_OF.set(w, keys.verifierKey);
    expect(await heldSize(w)).toBeNull();

    const log = leavesOf('a', 20);
    const mem = memoryLogger();
    const hub = new WitnessPublisher(w.base, mem.logger);
    for (const size of [3, 5, 8]) expect(await hub.submit(note(keys, log, size), size, prover(log))).toBe(true);
    expect(hub.status()).toEqual({ witnessedSize: 8, refused: null });
    expect(await heldSize(w)).toBe(8);

    // Raw protocol: the witness checks the proof itself — a proof for other leaves is refused.
    const forked = [...log.slice(0, 4), ...leavesOf('forged', 16)];
    const forkBody = `old 8\n${consistencyProof(forked, 8, 12)
      .map((h) => `${h.toString('base64')}\n`)
      .join('')}\n${note(keys, forked, 12)}`;
    const forkRes = await fetch(`${w.base}/add-checkpoint`, { method: 'POST', body: forkBody });
    expect(forkRes.status).toBe(422);
    // The honest proof with the forked checkpoint does not verify either.
    const mixed = `old 8\n${consistencyProof(log, 8, 12)
      .map((h) => `${h.toString('base64')}\n`)
      .join('')}\n${note(keys, forked, 12)}`;
    expect((await fetch(`${w.base}/add-checkpoint`, { method: 'POST', body: mixed })).status).toBe(422);
    // Rolled back: smaller than what it holds.
    const back = `old 8\n\n${note(keys, log, 6)}`;
    expect((await fetch(`${w.base}/add-checkpoint`, { method: 'POST', body: back })).status).toBe(422);
    // Signed by another key under the same name.
    const other = ephemeralAuditKeys(keys.name);
    const foreign = `old 8\n${consistencyProof(log, 8, 9)
      .map((h) => `${h.toString('base64')}\n`)
      .join('')}\n${note(other, log, 9)}`;
    expect((await fetch(`${w.base}/add-checkpoint`, { method: 'POST', body: foreign })).status).toBe(403);
    // Wrong old size: told the size it holds.
    const stale = await fetch(`${w.base}/add-checkpoint`, { method: 'POST', body: `old 3\n\n${note(keys, log, 9)}` });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toBe('8\n');
    expect(await heldSize(w)).toBe(8);
    expect(readdirSync(join(dir, 'refused'))).toHaveLength(3);

    // Through the publisher: a fork is refused, logged loudly, and nothing after counts as witnessed.
    expect(await hub.submit(note(keys, forked, 12), 12, prover(forked))).toBe(false);
    expect(hub.status().refused).toMatch(/422.*not consistent/);
    expect(mem.text()).toContain('AUDIT WITNESS REFUSED');
    expect(await hub.submit(note(keys, log, 12), 12, prover(log))).toBe(false);
    expect(hub.status().witnessedSize).toBe(8);

    // Restart: the witness still holds 8 and still refuses the fork; a new publisher learns the size (409) and goes on.
    w.kill();
    await w.exited;
    w = await startWitness(dir, keys.verifierKey);
    KEY_OF.set(w, keys.verifierKey);
    expect(await heldSize(w)).toBe(8);
    expect(readFileSync(join(dir, 'checkpoint'), 'utf8')).toBe(note(keys, log, 8));
    const fresh = new WitnessPublisher(w.base, memoryLogger().logger);
    expect(await fresh.submit(note(keys, forked, 12), 12, prover(forked))).toBe(false);
    const again = new WitnessPublisher(w.base, memoryLogger().logger);
    expect(await again.submit(note(keys, log, 12), 12, prover(log))).toBe(true);
    expect(await heldSize(w)).toBe(12);
  }, 60_000);

  it('with a hub: witnesses its checkpoints, and refuses a restored database that grew another history', async () => {
    const keys = ephemeralAuditKeys();
    const dir = mkdtempSync(join(tmpdir(), 'witness-'));
    dirs.push(dir);
    const w = await startWitness(dir, keys.verifierKey);
    KEY_OF.set(w, keys.verifierKey);
    const LOOK = 'query ($id: ID) { child(id: $id) { id givenName } }';

    const run = async (reads: number, checkpointEvery: number, logger = memoryLogger()) => {
      const witness = new WitnessPublisher(w.base, logger.logger);
      const t = await startTestHub({
        clock: fixedClock('2026-05-04T09:00:00Z'),
        auditKeys: keys,
        checkpointStore: memoryCheckpointStore(),
        auditWitness: witness,
      });
      try {
        const f = fixture(t.database.db);
        const org = await f.org('school', 'school');
        const child = await f.child();
        await f.involve(child.id, org, 'on_roll');
        const school = await t.token({ role: 'school_dsl', org, sub: 'dsl-1' });
        for (let i = 0; i < reads; i++) {
          expect((await t.post(school, LOOK, { id: child.id })).status).toBe(200);
          if (i % checkpointEvery === checkpointEvery - 1) await t.services.auditLog.checkpoint();
        }
        const last = await t.services.auditLog.checkpoint();
        return {
          status: t.services.auditLog.witnessStatus()!,
          size: last?.treeSize ?? t.services.auditLog.latestPublished()!.treeSize,
          logger,
        };
      } finally {
        await t.close();
      }
    };

    const first = await run(4, 2);
    expect(first.status.refused).toBeNull();
    expect(first.status.witnessedSize).toBe(first.size);
    expect(await heldSize(w)).toBe(first.size);

    // The same key over a fresh (restored, then grown) database: a different history.
    // Checkpointed only once grown past the witnessed size, so the proof, not the size, gives it away.
    const second = await run(8, 8);
    expect(second.size).toBeGreaterThan(first.size);
    expect(second.status.refused).toMatch(/not consistent/);
    expect(second.status.witnessedSize).toBeNull();
    expect(second.logger.text()).toContain('AUDIT WITNESS REFUSED');
    expect(await heldSize(w)).toBe(first.size);
  }, 60_000);
});
