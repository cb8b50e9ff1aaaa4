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
}
