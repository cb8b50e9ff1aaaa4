/**
 * `PatientDirectoryAdapter` over PDS's FHIR R4 API: `GET /Patient?family=&given=&birthdate=&address-postalcode=`
 * (a searchset Bundle whose entries carry `search.score`) and `GET /Patient/{nhsNumber}` (a read of a
 * superseded number answers the current Patient, whose id differs: the adapter follows it). Every
 * call has a timeout; timeouts, dropped connections, 5xx and 429 are retried with exponential
 * backoff before a typed `PdsError` is thrown.
 */
import { randomUUID } from 'node:crypto';
import {
  NHS_NUMBER_SYSTEM,
  PdsError,
  type PatientDirectoryAdapter,
  type PdsMatch,
  type PdsPatient,
  type PdsRead,
  type PdsSearch,
} from './patient-directory';

export interface HttpPdsAdapterOptions {
  /** Base URL of the PDS FHIR API (or the simulator), e.g. `https://…/personal-demographics/FHIR/R4`. */
  baseUrl: string;
  /** Per-attempt timeout in ms (default 5 000). */
  timeoutMs?: number;
  /** Further attempts after a retryable failure (default 2). */
  retries?: number;
  /** First backoff in ms, doubled per attempt (default 200). */
  backoffMs?: number;
  /** Sent as `Authorization: Bearer …` when set. */
  accessToken?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** How many superseded-number hops a read follows before calling the answer bad (PDS gives one). */
const MAX_HOPS = 3;

export class HttpPdsAdapter implements PatientDirectoryAdapter {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly accessToken: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HttpPdsAdapterOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 200;
    this.accessToken = options.accessToken;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async search(query: PdsSearch): Promise<PdsMatch[]> {
    const params = new URLSearchParams({ family: query.family, birthdate: `eq${query.birthdate}` });
    if (query.given) params.set('given', query.given);
    if (query.postcode) params.set('address-postalcode', query.postcode);
    const { status, body } = await this.get(`/Patient?${params}`);
    if (status === 404) return [];
    if (body?.resourceType !== 'Bundle' || body.type !== 'searchset') throw new PdsError('bad_response', false, status);
    const entries: any[] = Array.isArray(body.entry) ? body.entry : [];
    return entries
      .map((entry) => ({ patient: toPatient(entry?.resource, status), score: toScore(entry?.search?.score, status) }))
      .sort((a, b) => b.score - a.score);
  }

  async read(nhsNumber: string): Promise<PdsRead | null> {
    let asked = nhsNumber;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const { status, body } = await this.get(`/Patient/${encodeURIComponent(asked)}`);
      if (status === 404) {
        if (hop === 0) return null;
        throw new PdsError('bad_response', false, 404, 'superseded number points nowhere');
      }
      const patient = toPatient(body, status);
      if (patient.nhsNumber === asked) return { patient, supersededNumber: asked === nhsNumber ? null : nhsNumber };
      // Superseded: PDS answered the current record under its own id. Read that id to be sure it is current.
      asked = patient.nhsNumber;
    }
    throw new PdsError('bad_response', false, null, 'superseded chain too long');
  }

  /** One GET with retries; answers 2xx and 404 (not found is an answer), throws the rest. */
  private async get(path: string): Promise<{ status: number; body: any }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(path);
      } catch (error) {
        if (!(error instanceof PdsError) || !error.retryable || attempt >= this.retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.backoffMs * 2 ** attempt));
      }
    }
  }

  private async once(path: string): Promise<{ status: number; body: any }> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        headers: {
          accept: 'application/fhir+json',
          // PDS asks for a fresh UUID per request (it answers a repeated one from its cache).
          'x-request-id': randomUUID(),
          ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}),
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw networkError(error);
    }
    let body: any = null;
    try {
      body = await res.json();
    } catch (error) {
      if (isAbort(error)) throw new PdsError('timeout', true);
      if (res.ok) throw new PdsError('bad_response', false, res.status);
    }
    if (res.ok || res.status === 404) return { status: res.status, body };
    const detail = outcomeCode(body);
    if (res.status === 429) throw new PdsError('rate_limited', true, 429, detail);
    if (res.status >= 500 || res.status === 408) throw new PdsError('server_error', true, res.status, detail);
    if (res.status === 401 || res.status === 403) throw new PdsError('unauthorised', false, res.status, detail);
    throw new PdsError('rejected', false, res.status, detail);
  }
}

function toPatient(resource: any, status: number): PdsPatient {
  if (resource?.resourceType !== 'Patient' || typeof resource.id !== 'string')
    throw new PdsError('bad_response', false, status);
  const identifier = (resource.identifier ?? []).find((i: any) => i?.system === NHS_NUMBER_SYSTEM)?.value;
  const name = (resource.name ?? []).find((n: any) => n?.use === 'usual') ?? resource.name?.[0];
  const address = (resource.address ?? []).find((a: any) => a?.use === 'home') ?? resource.address?.[0];
  const restricted = (resource.meta?.security ?? []).some((s: any) => s?.code === 'R' || s?.code === 'V');
  return {
    nhsNumber: typeof identifier === 'string' ? identifier : resource.id,
    givenNames: Array.isArray(name?.given) ? name.given.map(String) : [],
    familyName: typeof name?.family === 'string' ? name.family : null,
    birthDate: typeof resource.birthDate === 'string' ? resource.birthDate : null,
    // A restricted record should come without an address; never keep one that arrives anyway.
    addressLine: !restricted && Array.isArray(address?.line) ? address.line.join(', ') || null : null,
    postcode: !restricted && typeof address?.postalCode === 'string' ? address.postalCode : null,
    restricted,
  };
}

function toScore(score: unknown, status: number): number {
  if (typeof score !== 'number' || score < 0 || score > 1) throw new PdsError('bad_response', false, status);
  return score;
}

/** The first issue's code of a FHIR OperationOutcome (e.g. `INVALID_SEARCH_DATA`). */
function outcomeCode(body: any): string | undefined {
  const issue = body?.resourceType === 'OperationOutcome' ? body.issue?.[0] : undefined;
  const code = issue?.details?.coding?.[0]?.code ?? issue?.code;
  return typeof code === 'string' ? code.slice(0, 100) : undefined;
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function networkError(error: unknown): PdsError {
  if (isAbort(error)) return new PdsError('timeout', true);
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return new PdsError('connection_failed', true, null, code);
}
