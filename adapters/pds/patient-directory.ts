/**
 * The hub's view of the NHS Personal Demographics Service (PDS): who holds an NHS number, found by
 * demographics or verified by the number itself. `HttpPdsAdapter` speaks PDS's FHIR R4 API (against
 * NHS England's endpoint or the simulator); the hub depends on this interface only, so a test can
 * give it the simulator over real HTTP and a deployment its own endpoint.
 */

/** One PDS Patient, reduced to what tracing needs. */
export interface PdsPatient {
  /** The current NHS number (the Patient's id). */
  nhsNumber: string;
  givenNames: string[];
  familyName: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  /** Null when the record is restricted, or when PDS holds none. */
  addressLine: string | null;
  postcode: string | null;
  /**
   * `meta.security` code `R` (restricted, "sensitive"): PDS answers without an address, and
   * whoever holds the record must not disclose where the patient lives.
   */
  restricted: boolean;
}

/** A search result with PDS's confidence in it (`search.score`, 0–1; 1 is an exact match). */
export interface PdsMatch {
  patient: PdsPatient;
  score: number;
}

/** PDS's search parameters (`family`, `given`, `birthdate`, `address-postalcode`). */
export interface PdsSearch {
  family: string;
  given?: string | null;
  /** YYYY-MM-DD. */
  birthdate: string;
  postcode?: string | null;
}

/** A read by NHS number: the current record, and whether the number asked for was superseded by it. */
export interface PdsRead {
  patient: PdsPatient;
  /** The number asked for, when PDS answered with a different (current) one. */
  supersededNumber: string | null;
}

export interface PatientDirectoryAdapter {
  /** Patients matching the demographics, best first; empty when PDS finds none. */
  search(query: PdsSearch): Promise<PdsMatch[]>;
  /** The current Patient for a number (following a superseded number); null when PDS holds none. */
  read(nhsNumber: string): Promise<PdsRead | null>;
}

/**
 * Why a PDS call failed. Retryable (the adapter has already retried with backoff before throwing):
 * `timeout`, `connection_failed`, `server_error` (5xx), `rate_limited` (429). Permanent:
 * `unauthorised` (401/403: fixed by configuration), `rejected` (another 4xx: the request is wrong),
 * `bad_response` (not the FHIR PDS answers with). Messages carry codes and statuses, never content.
 */
export class PdsError extends Error {
  constructor(
    readonly code:
      | 'timeout'
      | 'connection_failed'
      | 'server_error'
      | 'rate_limited'
      | 'unauthorised'
      | 'rejected'
      | 'bad_response',
    readonly retryable: boolean,
    readonly status: number | null = null,
    detail?: string,
  ) {
    super(`pds ${code}${status ? ` (HTTP ${status})` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'PdsError';
  }
}

/** The FHIR identifier system of an NHS number. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
