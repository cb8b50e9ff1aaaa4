/**
 * `CaseRecordAdapter` over HTTP+JSON: one POST per record with an `Idempotency-Key` header, a
 * timeout on every call (AbortSignal.timeout), and every failure classified into the
 * retryable/permanent taxonomy of `CaseRecordAdapterError`.
 */
import {
  CaseRecordAdapterError,
  isRetryableStatus,
  type CaseRecordAdapter,
  type ChangesPage,
  type DeliveryReceipt,
} from './case-record-adapter';
import type { EarlyHelpEpisodeRecord, EhmStepRecord, PersonMergeRecord, PersonRecord } from './ssd-records';

export interface HttpCaseRecordAdapterOptions {
  /** Base URL of the Liquid Logic integration endpoint (or the simulator). */
  baseUrl: string;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Remote paths per call; documented in README.md. */
export const LL_PATHS = {
  person: '/persons',
  personMerge: '/person-merges',
  episode: '/early-help-episodes',
  meeting: '/ehm/meetings',
  plan: '/ehm/plans',
  review: '/ehm/reviews',
  maspOutcome: '/ehm/masp-outcomes',
  stepUp: '/ehm/step-ups',
  stepDown: '/ehm/step-downs',
  changes: '/changes',
} as const;

export class HttpCaseRecordAdapter implements CaseRecordAdapter {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly apiKey: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HttpCaseRecordAdapterOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetch ?? fetch;
  }

  upsertPerson(record: PersonRecord, key: string) {
    return this.post(LL_PATHS.person, record, key);
  }
  mergePerson(record: PersonMergeRecord, key: string) {
    return this.post(LL_PATHS.personMerge, record, key);
  }
  upsertEarlyHelpEpisode(record: EarlyHelpEpisodeRecord, key: string) {
    return this.post(LL_PATHS.episode, record, key);
  }
  recordMeeting(record: EhmStepRecord, key: string) {
    return this.post(LL_PATHS.meeting, record, key);
  }
  recordPlan(record: EhmStepRecord, key: string) {
    return this.post(LL_PATHS.plan, record, key);
  }
  recordReview(record: EhmStepRecord, key: string) {
    return this.post(LL_PATHS.review, record, key);
  }
  recordMaspOutcome(record: EhmStepRecord, key: string) {
    return this.post(LL_PATHS.maspOutcome, record, key);
  }
  recordStepUp(record: EhmStepRecord, key: string) {
    return this.post(LL_PATHS.stepUp, record, key);
  }
  recordStepDown(record: EhmStepRecord, key: string) {
    return this.post(LL_PATHS.stepDown, record, key);
  }

  async fetchChanges(since: string | null): Promise<ChangesPage> {
    const query = since ? `?since=${encodeURIComponent(since)}` : '';
    const body = await this.request('GET', `${LL_PATHS.changes}${query}`, undefined, undefined);
    if (!body || !Array.isArray(body.changes) || typeof body.cursor !== 'string')
      throw new CaseRecordAdapterError('bad_response', true);
    return { changes: body.changes, cursor: body.cursor };
  }

  private async post(path: string, record: unknown, idempotencyKey: string): Promise<DeliveryReceipt> {
    const body = await this.request('POST', path, record, idempotencyKey);
    if (!body || typeof body.remoteId !== 'string') throw new CaseRecordAdapterError('bad_response', true);
    return { remoteId: body.remoteId, replayed: body.replayed === true };
  }

  private async request(
    method: string,
    path: string,
    record: unknown,
    idempotencyKey: string | undefined,
  ): Promise<any> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(record === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: record === undefined ? undefined : JSON.stringify(record),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw classifyNetworkError(error);
    }
    let body: any = null;
    try {
      body = await res.json();
    } catch (error) {
      // A body cut off by a timeout or a dropped connection is a network failure, not a bad answer.
      if (isAbort(error)) throw new CaseRecordAdapterError('timeout', true);
      if (res.ok) throw new CaseRecordAdapterError('bad_response', true, res.status);
    }
    if (res.ok) return body;
    const detail = typeof body?.code === 'string' ? body.code.slice(0, 200) : undefined;
    if (res.status === 429) throw new CaseRecordAdapterError('rate_limited', true, 429, detail);
    if (res.status === 401 || res.status === 403)
      throw new CaseRecordAdapterError('unauthorised', true, res.status, detail);
    if (isRetryableStatus(res.status)) throw new CaseRecordAdapterError('server_error', true, res.status, detail);
    throw new CaseRecordAdapterError('rejected', false, res.status, detail);
  }
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function classifyNetworkError(error: unknown): CaseRecordAdapterError {
  if (isAbort(error)) return new CaseRecordAdapterError('timeout', true);
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return new CaseRecordAdapterError('connection_failed', true, null, code);
}
