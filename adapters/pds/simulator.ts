/**
 * A stand-in for PDS's FHIR R4 API, for tests and development: a real HTTP server holding
 * synthetic patients (NHS numbers in the 999 test range only). It answers searches with a
 * searchset Bundle scored as PDS does (1 for an exact match, less when a detail differs), a read
 * of a superseded number with the current Patient, and a restricted record (`meta.security` `R`)
 * without an address. A second server on its own port takes admin commands — add patients, be
 * slow, answer 5xx, hold requests until the caller times out, go down (stop listening, drop every
 * connection) and come back — and counts what it was asked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { json, listen, readBody } from '../simulation/http';
import type { Socket } from 'node:net';
import { syntheticNhsNumber } from '../../seeds/synthetic';
import { NHS_NUMBER_SYSTEM } from './patient-directory';

/** A patient the simulator holds. */
export interface SimulatedPatient {
  nhsNumber: string;
  givenNames: string[];
  familyName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  addressLines: string[];
  postcode: string;
  /** Held as restricted (`meta.security` `R`): answered without an address. */
  restricted?: boolean;
  /** Old numbers merged into this record: a read of one answers this Patient. */
  supersededNumbers?: string[];
}

export interface PdsSimulatorFaults {
  /** Answer this many requests with `failStatus` (default 503). */
  failNext?: number;
  failStatus?: number;
  /** Never answer this many requests (the caller's timeout fires). */
  timeoutNext?: number;
  /** Delay every answer by this many ms (on top of `latencyMs`). */
  slowMs?: number;
}

export interface PdsSimulatorStats {
  requests: number;
  failed: number;
  timedOut: number;
  down: boolean;
}

export interface PdsSimulatorOptions {
  port?: number;
  adminPort?: number;
  host?: string;
  /** Who it holds (default `DEMO_PATIENTS`). */
  patients?: SimulatedPatient[];
  /** Delay before every answer, ms (default 0; `npm run pds-sim` uses a little, as a remote system has). */
  latencyMs?: number;
}

export interface PdsSimulator {
  readonly url: string;
  readonly adminUrl: string;
  close(): Promise<void>;
}

/** A few synthetic patients for development: one plain, one superseded, one restricted. */
export const DEMO_PATIENTS: SimulatedPatient[] = [
  {
    nhsNumber: syntheticNhsNumber(120_001),
    givenNames: ['Ada'],
    familyName: 'Quillfeather',
    birthDate: '2016-04-12',
    addressLines: ['4 Synthetic Close', 'Leicester'],
    postcode: 'LE2 1AA',
  },
  {
    nhsNumber: syntheticNhsNumber(120_002),
    givenNames: ['Bram'],
    familyName: 'Ottersby',
    birthDate: '2014-09-30',
    addressLines: ['9 Example Road', 'Leicester'],
    postcode: 'LE3 2BB',
    supersededNumbers: [syntheticNhsNumber(120_003)],
  },
  {
    nhsNumber: syntheticNhsNumber(120_004),
    givenNames: ['Cleo'],
    familyName: 'Marchwood',
    birthDate: '2018-01-05',
    addressLines: ['1 Hidden Lane', 'Leicester'],
    postcode: 'LE4 3CC',
    restricted: true,
  },
];

export async function startPdsSimulator(options: PdsSimulatorOptions = {}): Promise<PdsSimulator> {
  const host = options.host ?? '127.0.0.1';
  const latencyMs = options.latencyMs ?? 0;
  const initial = options.patients ?? DEMO_PATIENTS;
  const patients = new Map<string, SimulatedPatient>();
  const add = (p: SimulatedPatient) => patients.set(p.nhsNumber, p);
  initial.forEach(add);
  const faults: Required<PdsSimulatorFaults> = { failNext: 0, failStatus: 503, timeoutNext: 0, slowMs: 0 };
  const stats = { requests: 0, failed: 0, timedOut: 0 };
  let down = false;

  const sockets = new Set<Socket>();
  const api = createServer((req, res) => void handleApi(req, res));
  api.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(api, options.port ?? 0, host);

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const delay = latencyMs + faults.slowMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (faults.timeoutNext > 0) {
      faults.timeoutNext--;
      stats.timedOut++;
      return; // never answered
    }
    if (faults.failNext > 0) {
      faults.failNext--;
      stats.failed++;
      return fhir(res, faults.failStatus, outcome('exception', 'SERVICE_UNAVAILABLE'));
    }
    if (!req.headers['x-request-id']) return fhir(res, 400, outcome('value', 'INVALID_VALUE'));
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method !== 'GET') return fhir(res, 405, outcome('not-supported', 'UNSUPPORTED_SERVICE'));
    if (url.pathname === '/Patient') return search(res, url.searchParams);
    const read = /^\/Patient\/([^/]+)$/.exec(url.pathname);
    if (read) {
      const asked = decodeURIComponent(read[1]!);
      if (!/^\d{10}$/.test(asked)) return fhir(res, 400, outcome('value', 'INVALID_RESOURCE_ID'));
      const patient = patients.get(asked) ?? [...patients.values()].find((p) => p.supersededNumbers?.includes(asked));
      if (!patient) return fhir(res, 404, outcome('not-found', 'RESOURCE_NOT_FOUND'));
      return fhir(res, 200, toFhir(patient));
    }
    return fhir(res, 404, outcome('not-found', 'UNSUPPORTED_SERVICE'));
  }

  function search(res: ServerResponse, params: URLSearchParams): void {
    const family = params.get('family')?.trim().toLowerCase();
    const birthdate = params.get('birthdate')?.replace(/^eq/, '');
    if (!family || !birthdate || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate)) {
      fhir(res, 400, outcome('required', 'INVALID_SEARCH_DATA'));
      return;
    }
    const given = params.get('given')?.trim().toLowerCase();
    const postcode = params.get('address-postalcode')?.replace(/\s+/g, '').toUpperCase();
    const entry = [...patients.values()]
      .filter((p) => p.familyName.toLowerCase() === family && p.birthDate === birthdate)
      .map((p) => {
        // PDS scores 1 for every given detail agreeing; a differing given name or postcode lowers it.
        let score = 1;
        if (given && !p.givenNames.some((g) => g.toLowerCase() === given)) score -= 0.25;
        if (postcode && p.postcode.replace(/\s+/g, '').toUpperCase() !== postcode) score -= 0.1;
        return { p, score: Math.round(score * 100) / 100 };
      })
      .sort((a, b) => b.score - a.score)
      .map(({ p, score }) => ({
        fullUrl: `${baseUrl()}/Patient/${p.nhsNumber}`,
        search: { score },
        resource: toFhir(p),
      }));
    fhir(res, 200, {
      resourceType: 'Bundle',
      type: 'searchset',
      timestamp: new Date().toISOString(),
      total: entry.length,
      entry,
    });
  }

  const baseUrl = () => `http://${host}:${port}`;

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
          case 'GET /admin/stats':
            return json(res, 200, { ...stats, down } satisfies PdsSimulatorStats);
          case 'POST /admin/faults':
            Object.assign(faults, { failNext: 0, failStatus: 503, timeoutNext: 0, slowMs: 0 }, body);
            return json(res, 200, faults);
          case 'POST /admin/patients':
            for (const p of Array.isArray(body) ? body : [body]) add(p as SimulatedPatient);
            return json(res, 200, { patients: patients.size });
          case 'POST /admin/down':
            await goDown();
            return json(res, 200, { down: true });
          case 'POST /admin/up':
            await comeUp();
            return json(res, 200, { down: false });
          case 'POST /admin/reset':
            patients.clear();
            initial.forEach(add);
            Object.assign(stats, { requests: 0, failed: 0, timedOut: 0 });
            Object.assign(faults, { failNext: 0, failStatus: 503, timeoutNext: 0, slowMs: 0 });
            return json(res, 200, { reset: true });
          default:
            return json(res, 404, { code: 'not_found' });
        }
      })().catch(() => json(res, 400, { code: 'bad_admin_request' })),
  );
  const adminPort = await listen(admin, options.adminPort ?? 0, host);

  return {
    url: baseUrl(),
    adminUrl: `http://${host}:${adminPort}`,
    async close() {
      await goDown();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
      admin.closeAllConnections();
    },
  };
}

/** The FHIR Patient PDS would answer; a restricted one carries no address. */
function toFhir(p: SimulatedPatient): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: p.nhsNumber,
    meta: {
      versionId: '1',
      security: [
        p.restricted
          ? { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' }
          : { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'U', display: 'unrestricted' },
      ],
    },
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhsNumber }],
    name: [{ use: 'usual', family: p.familyName, given: p.givenNames }],
    birthDate: p.birthDate,
    ...(p.restricted ? {} : { address: [{ use: 'home', line: p.addressLines, postalCode: p.postcode }] }),
  };
}

function outcome(code: string, pdsCode: string): Record<string, unknown> {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code,
        details: { coding: [{ system: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode', code: pdsCode }] },
      },
    ],
  };
}

function fhir(res: ServerResponse, status: number, body: unknown): void {
  json(res, status, body, 'application/fhir+json');
}
