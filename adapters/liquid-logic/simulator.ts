/**
 * A stand-in for Liquid Logic's integration endpoint, for tests and the demo: a real HTTP server
 * that stores what it receives (one record per idempotency key — a repeated key gets the stored
 * answer again, never a second record), keeps a changes feed of social care events, and pushes
 * them to the hub's webhook, signed. A key sent again with a different body is refused (422
 * `idempotency_key_reused`, as the IETF Idempotency-Key draft says), never answered from the
 * stored record. Records are checked against the SSD schema as the remote side would (422
 * `invalid_ssd_record:<object.field: rule>`). With `stateFile` it keeps what it received on disk and comes back after a
 * restart with the same records, person ids and changes feed. A second server on its own port takes admin commands — be
 * slow, answer 500s, hold requests until the caller times out, reject, or go down (stop listening
 * and drop every connection) and come back — and exposes what the simulator holds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { json, listen, readBody } from '../simulation/http';
import type { Socket } from 'node:net';
import { LL_PATHS } from './http-adapter';
import { ssdRecordValidator } from './ssd-validator';
import type { LiquidLogicChange } from './ssd-records';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';

/** Fields the simulator insists on per path (a missing one is a permanent 422). */
const REQUIRED: Record<string, string[]> = {
  [LL_PATHS.person]: ['person.pers_person_id', 'person.pers_legacy_id'],
  [LL_PATHS.personMerge]: ['fromPersonId', 'intoPersonId'],
  [LL_PATHS.episode]: ['episode.earl_episode_id', 'episode.earl_person_id'],
  [LL_PATHS.meeting]: ['ehm_step_id', 'pers_person_id'],
  [LL_PATHS.plan]: ['ehm_step_id', 'pers_person_id'],
  [LL_PATHS.review]: ['ehm_step_id', 'pers_person_id'],
  [LL_PATHS.maspOutcome]: ['ehm_step_id', 'pers_person_id'],
  [LL_PATHS.stepUp]: ['ehm_step_id', 'pers_person_id'],
  [LL_PATHS.stepDown]: ['ehm_step_id', 'pers_person_id'],
};

export interface StoredRecord {
  seq: number;
  idempotencyKey: string;
  path: string;
  body: any;
  remoteId: string;
  receivedAt: string;
}

export interface SimulatorFaults {
  /** Answer this many requests with `failStatus` (default 500), storing nothing. */
  failNext?: number;
  failStatus?: number;
  /** Store this many requests, then never answer (the caller's timeout fires). */
  timeoutNext?: number;
  /** Reject this many requests with 422 (a permanent error). */
  rejectNext?: number;
  /** Delay every answer by this many ms. */
  slowMs?: number;
}

export interface SimulatorStats {
  /** Record POSTs that reached the handler (including failed and replayed ones). */
  requests: number;
  /** Distinct records held (one per idempotency key). */
  stored: number;
  /** Requests answered from an already stored key. */
  replays: number;
  failed: number;
  rejected: number;
  timedOut: number;
  down: boolean;
}

export interface SimulatorOptions {
  port?: number;
  adminPort?: number;
  host?: string;
  webhook?: { url: string; secret: string } | null;
  /** JSON file holding what it received; loaded at start, rewritten (atomically) on every change. */
  stateFile?: string;
}

interface PersistedState {
  records: (StoredRecord & { bodyHash: string })[];
  persons: [string, string][];
  lastPersonNumber: number;
  changes: { seq: number; change: LiquidLogicChange }[];
  seq: number;
}

export interface LiquidLogicSimulator {
  readonly url: string;
  readonly adminUrl: string;
  setWebhook(webhook: { url: string; secret: string } | null): void;
  close(): Promise<void>;
}

export async function startLiquidLogicSimulator(options: SimulatorOptions = {}): Promise<LiquidLogicSimulator> {
  const host = options.host ?? '127.0.0.1';
  const saved =
    options.stateFile && existsSync(options.stateFile)
      ? (JSON.parse(readFileSync(options.stateFile, 'utf8')) as PersistedState)
      : null;
  const records = new Map<string, StoredRecord & { bodyHash: string }>(
    (saved?.records ?? []).map((r) => [r.idempotencyKey, r]),
  );
  const persons = new Map<string, string>(saved?.persons ?? []); // pers_legacy_id → LL person id
  const changes: { seq: number; change: LiquidLogicChange }[] = saved?.changes ?? [];
  const validateSsd = ssdRecordValidator();
  const faults: Required<SimulatorFaults> = { failNext: 0, failStatus: 500, timeoutNext: 0, rejectNext: 0, slowMs: 0 };
  const stats = { requests: 0, replays: 0, failed: 0, rejected: 0, timedOut: 0 };
  let seq = saved?.seq ?? 0;
  let lastPersonNumber = saved?.lastPersonNumber ?? 0;

  function persist(): void {
    if (!options.stateFile) return;
    const state: PersistedState = {
      records: [...records.values()],
      persons: [...persons],
      lastPersonNumber,
      changes,
      seq,
    };
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const tmp = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, options.stateFile);
  }
  let webhook = options.webhook ?? null;
  let down = false;

  const sockets = new Set<Socket>();
  const api = createServer((req, res) => void handleApi(req, res));
  api.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(api, options.port ?? 0, host);

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === LL_PATHS.changes) {
      const since = Number(url.searchParams.get('since') ?? 0) || 0;
      const page = changes.filter((c) => c.seq > since).slice(0, 100);
      return json(res, 200, { changes: page.map((c) => c.change), cursor: String(page.at(-1)?.seq ?? since) });
    }
    if (req.method !== 'POST' || !(url.pathname in REQUIRED)) return json(res, 404, { code: 'not_found' });
    const raw = await readBody(req);
    stats.requests++;
    if (faults.failNext > 0) {
      faults.failNext--;
      stats.failed++;
      return json(res, faults.failStatus, { code: 'simulated_failure' });
    }
    if (faults.rejectNext > 0) {
      faults.rejectNext--;
      stats.rejected++;
      return json(res, 422, { code: 'simulated_rejection' });
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length < 8) return json(res, 400, { code: 'missing_idempotency_key' });
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return json(res, 400, { code: 'invalid_json' });
    }
    const missing = REQUIRED[url.pathname]!.filter((path) => !valueAt(body, path));
    if (missing.length) return json(res, 422, { code: `missing_field:${missing.join(',')}` });
    // Liquid Logic's warehouse holds SSD rows: one that breaks the definitions is refused, field named.
    const invalid = validateSsd(url.pathname, body);
    if (invalid.length) {
      stats.rejected++;
      return json(res, 422, { code: `invalid_ssd_record:${invalid[0]}` });
    }
    const bodyHash = createHash('sha256').update(raw).digest('hex');
    const existing = records.get(key);
    let answer: { remoteId: string; replayed: boolean };
    if (existing) {
      if (existing.path !== url.pathname || existing.bodyHash !== bodyHash)
        return json(res, 422, { code: 'idempotency_key_reused' });
      stats.replays++;
      answer = { remoteId: existing.remoteId, replayed: true };
    } else {
      const remoteId = store(url.pathname, body);
      records.set(key, {
        seq: ++seq,
        idempotencyKey: key,
        path: url.pathname,
        body,
        remoteId,
        receivedAt: new Date().toISOString(),
        bodyHash,
      });
      persist();
      answer = { remoteId, replayed: false };
    }
    if (faults.timeoutNext > 0) {
      faults.timeoutNext--;
      stats.timedOut++;
      return;
    } // stored, never answered
    if (faults.slowMs > 0) await new Promise((r) => setTimeout(r, faults.slowMs));
    return json(res, existing ? 200 : 201, answer);
  }

  function store(path: string, body: any): string {
    if (path === LL_PATHS.person) {
      const legacy = String(body.person.pers_legacy_id);
      const known =
        persons.get(legacy) ??
        (String(body.person.pers_person_id).startsWith('LL') ? String(body.person.pers_person_id) : null);
      const id = known ?? `LL${String(++lastPersonNumber).padStart(7, '0')}`;
      persons.set(legacy, id);
      return id;
    }
    if (path === LL_PATHS.personMerge) return String(body.intoPersonId);
    if (path === LL_PATHS.episode) return `EH-${body.episode.earl_episode_id}`;
    return `EHM-${body.ehm_step_id}`;
  }

  async function emit(
    input: Partial<LiquidLogicChange>,
  ): Promise<{ change: LiquidLogicChange; webhookStatus: number | null }> {
    const change = {
      ...input,
      id: input.id ?? `chg-${changes.length + 1}-${Date.now().toString(36)}`,
      occurredAt: input.occurredAt ?? new Date().toISOString(),
    } as LiquidLogicChange;
    changes.push({ seq: changes.length + 1, change });
    persist();
    let webhookStatus: number | null = null;
    if (webhook) {
      const raw = JSON.stringify(change);
      const timestamp = Math.floor(Date.now() / 1000);
      try {
        const res = await fetch(webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhook(webhook.secret, timestamp, raw),
            [TIMESTAMP_HEADER]: String(timestamp),
          },
          body: raw,
          signal: AbortSignal.timeout(5_000),
        });
        webhookStatus = res.status;
      } catch {
        webhookStatus = 0; // the hub polls the feed as the fallback
      }
    }
    return { change, webhookStatus };
  }

  function goDown(): Promise<void> {
    if (down) return Promise.resolve();
    down = true;
    const closed = new Promise<void>((resolve) => api.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    return closed;
  }

  async function comeUp(): Promise<void> {
    if (!down) return;
    await listen(api, port, host);
    down = false;
  }

  const admin = createServer(
    (req, res) =>
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://sim');
        const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : {};
        switch (`${req.method} ${url.pathname}`) {
          case 'GET /admin/records':
            return json(res, 200, {
              records: [...records.values()].sort((a, b) => a.seq - b.seq).map(({ bodyHash: _h, ...r }) => r),
            });
          case 'GET /admin/stats':
            return json(res, 200, { ...stats, stored: records.size, down } satisfies SimulatorStats);
          case 'POST /admin/faults':
            Object.assign(faults, { failNext: 0, timeoutNext: 0, rejectNext: 0, slowMs: 0, failStatus: 500 }, body);
            return json(res, 200, faults);
          case 'POST /admin/down':
            await goDown();
            return json(res, 200, { down: true });
          case 'POST /admin/up':
            await comeUp();
            return json(res, 200, { down: false });
          case 'POST /admin/emit':
            return json(res, 200, await emit(body));
          case 'POST /admin/webhook':
            webhook = body.url ? { url: String(body.url), secret: String(body.secret) } : null;
            return json(res, 200, { webhook: Boolean(webhook) });
          case 'POST /admin/reset':
            records.clear();
            persons.clear();
            changes.length = 0;
            seq = 0;
            lastPersonNumber = 0;
            persist();
            Object.assign(stats, { requests: 0, replays: 0, failed: 0, rejected: 0, timedOut: 0 });
            Object.assign(faults, { failNext: 0, timeoutNext: 0, rejectNext: 0, slowMs: 0, failStatus: 500 });
            return json(res, 200, { reset: true });
          default:
            return json(res, 404, { code: 'not_found' });
        }
      })().catch(() => json(res, 400, { code: 'bad_admin_request' })),
  );
  const adminPort = await listen(admin, options.adminPort ?? 0, host);

  return {
    url: `http://${host}:${port}`,
    adminUrl: `http://${host}:${adminPort}`,
    setWebhook: (next) => {
      webhook = next;
    },
    async close() {
      await goDown();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      admin.closeAllConnections();
    },
  };
}

function valueAt(body: any, path: string): unknown {
  const value = path.split('.').reduce((v, k) => (v == null ? v : v[k]), body);
  return value === '' ? undefined : value;
}
