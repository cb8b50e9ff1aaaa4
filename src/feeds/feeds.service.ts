/**
 * The partner feeds, built once per process with their dependencies passed in. Resolvers reach
 * them as `ctx.services.feeds`; adapters in adapters/feeds map each partner system's payload to
 * the submissions these take.
 */
import type { ChildService } from '../child/child.service';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { AttendanceFeed } from './attendance.service';
import { HealthFeed } from './health.service';
import { PendingMatches } from './pending-matches.service';
import { PoliceFeed, type PoliceOptions } from './police.service';
import { VcsFeed } from './vcs.service';

export interface FeedsOptions {
  db: Db;
  clock: Clock;
  children: ChildService;
  police?: Pick<PoliceOptions, 'schoolDay' | 'earlyHelpTeamOrganisationId'>;
}

export class FeedsService {
  readonly health: HealthFeed;
  readonly school: AttendanceFeed;
  readonly police: PoliceFeed;
  readonly vcs: VcsFeed;
  readonly pending: PendingMatches;

  constructor({ db, clock, children, police = {} }: FeedsOptions) {
    this.health = new HealthFeed({ db, clock });
    this.school = new AttendanceFeed({ db, clock });
    this.police = new PoliceFeed({ db, clock, ...police });
    this.vcs = new VcsFeed({ db, clock });
    this.pending = new PendingMatches({ db, clock, children, police: this.police });
  }
}
