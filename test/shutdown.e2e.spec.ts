/**
 * The production build and entry (`npm run build`, `node dist/src/main.js`), and SIGTERM under load
 * sent straight to that process as a container runtime does: every request the hub has started
 * receiving is answered, keep-alive connections are closed between requests (never under one
 * arriving), and the process exits 0. A client then meets a refused connection, which it can retry
 * elsewhere; a reset connection would be a request lost mid-flight.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveBurst } from './support/burst';
import { buildProduction, PROD_ENTRY, runCommand, runTsx, startHubProcess, type HubProcess } from './support/process';

const keysDir = mkdtempSync(join(tmpdir(), 'ehh-keys-'));

describe('the production build', () => {
  beforeAll(() => buildProduction(), 120_000);

  it('in production with no trust registry refuses to start with one line', async () => {
    const result = await runCommand(PROD_ENTRY, { NODE_ENV: 'production', PGLITE_DATA_DIR: 'memory://' });
    expect(result.code).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toMatch(/^Refusing to start: NODE_ENV=production needs TRUST_REGISTRY_FILE [^\n]+$/);
  });

  describe('SIGTERM under a keep-alive burst', () => {
    let hub: HubProcess | undefined;
    afterAll(() => hub?.kill());

    it('answers every request in flight, resets no connection and exits 0', async () => {
      // Generous graces: on a loaded machine a client can go unscheduled for a second, and a socket
      // it was about to reuse would then be closed as idle (the race HTTP/1.1 leaves every server).
      hub = await startHubProcess(
        {
          PGLITE_DATA_DIR: 'memory://',
          DEV_KEYS_DIR: keysDir,
          SHUTDOWN_GRACE_MS: '60000',
          SHUTDOWN_IDLE_GRACE_MS: '5000',
          OUTBOX_WORKER: 'false',
        },
        90_000,
        PROD_ENTRY,
      );
      const token = (
        await runTsx('src/auth/token.cli.ts', ['--persona', 'demo-screener'], { DEV_KEYS_DIR: keysDir })
      ).stdout.trim();
      const body = JSON.stringify({ query: '{ me { subject role } }' });
      const burstStart = Date.now();
      const burst = keepAliveBurst(hub.base, 30, {
        path: '/graphql',
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          authorization: `Bearer ${token}`,
          'x-purpose-of-use': 'direct_support',
        },
      });
      const deadline = Date.now() + 20_000;
      while (burst.answered() < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const beforeSignal = burst.answered();
      const signalAt = Date.now() - burstStart;
      hub.child.kill('SIGTERM');
      const result = await burst.done;
      expect(result.other).toEqual([]);
      expect(result.reset, `SIGTERM at +${signalAt} ms; resets: ${result.resets.join('; ')}`).toBe(0);
      expect(result.refused).toBe(30);
      // Requests kept arriving after the signal and were answered, not cut off.
      expect(result.ok).toBeGreaterThan(beforeSignal);
      await expect(hub.exited).resolves.toEqual({ code: 0, signal: null });
    }, 150_000);
  });
});
