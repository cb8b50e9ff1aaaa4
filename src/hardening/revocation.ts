/**
 * Revocation without restart: the active revoked-credentials list is read from the database
 * at most once per `cacheMs` per instance (default 5 s), and every verified token is checked
 * against it — by client id (service accounts) and by subject. A revocation therefore reaches
 * every instance within `cacheMs`, and the check costs one small query per instance per window.
 */
import type { Caller } from '../auth/caller';
import type { VerifyToken } from '../auth/verify-token';
import type { Db } from '../db';
import { UnauthenticatedError } from '../errors';
import type { Clock } from '../shared/clock';
import { activeRevocations, type RevocationKind } from './revocation.repo';

export interface RevocationListOptions {
  db: Db;
  clock: Clock;
  /** Default 5 000 ms; 0 reads the list on every request. */
  cacheMs?: number;
}

interface Snapshot {
  loadedAt: number;
  entries: { kind: RevocationKind; value: string; issuer: string | null }[];
}

export class RevocationList {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;
  private readonly cacheMs: number;

  constructor(private readonly options: RevocationListOptions) {
    this.cacheMs = options.cacheMs ?? 5_000;
  }

  async isRevoked(caller: Pick<Caller, 'subject' | 'clientId' | 'issuer'>): Promise<boolean> {
    const { entries } = await this.current();
    return entries.some(
      (e) =>
        (e.issuer === null || e.issuer === caller.issuer) &&
        ((e.kind === 'subject' && e.value === caller.subject) || (e.kind === 'client' && e.value === caller.clientId)),
    );
  }

  private async current(): Promise<Snapshot> {
    const now = Date.now();
    if (this.snapshot && now - this.snapshot.loadedAt < this.cacheMs) return this.snapshot;
    this.loading ??= activeRevocations(this.options.db)
      .then((entries) => (this.snapshot = { loadedAt: now, entries }))
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}

/** A token verifier that also refuses revoked service accounts and subjects. */
export function withRevocation(verifyToken: VerifyToken, revocations: RevocationList): VerifyToken {
  return async (token) => {
    const caller = await verifyToken(token);
    if (await revocations.isRevoked(caller)) throw new UnauthenticatedError('This credential has been revoked');
    return caller;
  };
}
