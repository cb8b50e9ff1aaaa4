/**
 * Partner organisations. The hub checks every token's `org` against this directory; lookups are
 * cached briefly because the directory changes rarely and every request asks.
 */
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { isUuid } from '../shared/validate';
import { findOrganisation, type OrganisationRow } from './organisation.repo';

export interface OrganisationServiceOptions {
  db: Db;
  clock: Clock;
  /** How long a directory lookup is reused (default 60 s). */
  cacheMs?: number;
}

export class OrganisationService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly cacheMs: number;
  private readonly cache = new Map<string, { at: number; row: Promise<OrganisationRow | null> }>();

  constructor({ db, clock, cacheMs = 60_000 }: OrganisationServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.cacheMs = cacheMs;
  }

  async find(id: string): Promise<OrganisationRow | null> {
    if (!isUuid(id)) return null;
    const now = this.clock.now().getTime();
    const hit = this.cache.get(id);
    if (hit && now - hit.at < this.cacheMs) return hit.row;
    const row = findOrganisation(this.db, id);
    this.cache.set(id, { at: now, row });
    // Only a found organisation is reused: one added a moment ago must not be refused for a minute.
    row.then(
      (found) => {
        if (!found) this.cache.delete(id);
      },
      () => this.cache.delete(id),
    );
    return row;
  }

  /** Drops a cached lookup after a change here (other instances see it within the cache window). */
  forget(id: string): void {
    this.cache.delete(id);
  }
}
