/**
 * The hub's view of the statutory case record. Liquid Logic publishes no open API, so the hub
 * talks to this interface; `HttpCaseRecordAdapter` is one implementation (against the simulator
 * or a council's integration endpoint). Every call carries an idempotency key: the remote side
 * keeps one record per key, so a redelivery after a lost acknowledgement is harmless.
 */
import type {
  EarlyHelpEpisodeRecord,
  EhmStepRecord,
  LiquidLogicChange,
  PersonMergeRecord,
  PersonRecord,
} from './ssd-records';

/** What the remote side answered. */
export interface DeliveryReceipt {
  /** Liquid Logic's id for what was stored (the LL person id for a person). */
  remoteId: string;
  /** True when the key had been seen before and the stored answer was replayed. */
  replayed: boolean;
}

export interface ChangesPage {
  changes: LiquidLogicChange[];
  /** Pass back as `since` for the next page. */
  cursor: string;
}

export interface CaseRecordAdapter {
  upsertPerson(record: PersonRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  mergePerson(record: PersonMergeRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  /** Opens, updates or closes (end date + end reason) an Early Help episode. */
  upsertEarlyHelpEpisode(record: EarlyHelpEpisodeRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  recordMeeting(record: EhmStepRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  recordPlan(record: EhmStepRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  recordReview(record: EhmStepRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  recordMaspOutcome(record: EhmStepRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  recordStepUp(record: EhmStepRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  recordStepDown(record: EhmStepRecord, idempotencyKey: string): Promise<DeliveryReceipt>;
  /** Social care changes after `since` (null: from the start): the poll fallback to the webhook. */
  fetchChanges(since: string | null): Promise<ChangesPage>;
}

/**
 * The error taxonomy. Retryable: the remote side may accept the same request later (timeouts,
 * refused or reset connections, 5xx, 429, 408, 401/403 while credentials are fixed). Permanent:
 * the request itself is wrong (other 4xx, a record failing local validation) — retrying cannot
 * help, so the outbox dead-letters it at once. Messages carry codes and statuses, never content.
 */
export class CaseRecordAdapterError extends Error {
  constructor(
    readonly code:
      | 'timeout'
      | 'connection_failed'
      | 'server_error'
      | 'rate_limited'
      | 'unauthorised'
      | 'rejected'
      | 'invalid_record'
      | 'bad_response',
    readonly retryable: boolean,
    readonly status: number | null = null,
    detail?: string,
  ) {
    super(`${code}${status ? ` (HTTP ${status})` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'CaseRecordAdapterError';
  }
}

export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408 || status === 401 || status === 403;
}
