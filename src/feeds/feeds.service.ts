/**
 * The partner feeds, built once per process with their dependencies passed in. Resolvers reach
 * them as `ctx.services.feeds`; adapters in adapters/feeds map each partner system's payload to
 * the submissions these take.
 */
import type { ChildService } from '../child/child.service';
import type { Db } from '../db';
import type { Clock } from '../shared/clock';
import { AttendanceFeed } from './attendance.service';
import { CaseloadFeed } from './caseload.service';
import type { FeedInbox } from './feed-inbox';
import { HealthFeed } from './health.service';
import { PendingMatches } from './pending-matches.service';
import { PoliceFeed, type PoliceOptions } from './police.service';
import { MissingReportFeed } from './missing-report.service';
import { RollFeed } from './roll.service';
import { VcsFeed } from './vcs.service';

export interface FeedsOptions {
  db: Db;
  clock: Clock;
  children: ChildService;
  /** Where health updates and police incidents are applied after their receipt. */
  inbox: FeedInbox;
  police?: Pick<PoliceOptions, 'schoolDay' | 'earlyHelpTeamOrganisationId'>;
}

export class FeedsService {
  readonly health: HealthFeed;
  readonly school: AttendanceFeed;
  readonly police: PoliceFeed;
  readonly vcs: VcsFeed;
  /** Missing from home episodes as the police report them. */
  readonly missing: MissingReportFeed;
  /** Relationships from authoritative records: a school's roll, a trust's caseload. */
  readonly roll: RollFeed;
  readonly caseload: CaseloadFeed;
  readonly pending: PendingMatches;

  constructor({ db, clock, children, inbox, police = {} }: FeedsOptions) {
    this.health = new HealthFeed({ db, clock, inbox });
    this.school = new AttendanceFeed({ db, clock });
    this.police = new PoliceFeed({ db, clock, inbox, ...police });
    this.vcs = new VcsFeed({ db, clock });
    this.missing = new MissingReportFeed({ db, clock });
    this.roll = new RollFeed({ db, clock });
    this.caseload = new CaseloadFeed({ db, clock });
    this.pending = new PendingMatches({ db, clock, children, police: this.police, missing: this.missing });
  }
}
