import type { Role } from '../access/roles';

/** The verified party behind a request, built only from a verified token. */
export interface Caller {
  /** `sub`: a practitioner's identity-provider subject, or a service account's client id. */
  readonly subject: string;
  readonly organisationId: string;
  readonly role: Role;
  /** The client application (`client_id`/`azp`), e.g. a school MIS plugin. */
  readonly clientId: string | null;
  readonly issuer: string;
  /**
   * The request this caller is acting in, set per request by the gateway: records written far below
   * the edge (an outbox row written with a case event) say which request caused them.
   */
  readonly requestId?: string;
}
