/**
 * Quality assurance: managers' monthly case audits. A sample of open and closed
 * cases per cluster and month, drawn reproducibly from a seed (src/qa/qa-sample.ts); one grading
 * with findings per sampled case; and the trend of gradings over months. The audit is about
 * practice: the grading is recorded against the case (audited) but is not case content.
 */
import { isUniqueViolation, type Db } from '../db';
import { BadUserInputError, ConflictError } from '../errors';
import { addDays, addMonths } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { optionalText, requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { CLUSTERS, type Actor } from '../workflow/actor';
import * as repo from './qa.repo';
import { defaultSeed, drawSample } from './qa-sample';

export const QA_GRADES = ['outstanding', 'good', 'requires_improvement', 'inadequate'] as const;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface QaTrendPoint {
  month: string;
  cluster: string;
  sampled: number;
  audited: number;
  byGrade: Record<string, number>;
  goodOrBetterPercent: number | null;
}

export class QaService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  /** Draws (once) the month's sample for a cluster; drawing again with the same seed returns the same sample. */
  async draw(
    input: { cluster: string; month: string; openCount: number; closedCount: number; seed?: string | null },
    actor: Actor,
  ): Promise<repo.QaSampleRow> {
    const cluster = requireOneOf('cluster', input.cluster, CLUSTERS);
    const month = requireMonth('month', input.month);
    const seed = optionalText('seed', input.seed, 100) ?? defaultSeed(cluster, month);
    for (const f of ['openCount', 'closedCount'] as const) {
      if (!Number.isInteger(input[f]) || input[f] < 0 || input[f] > 50)
        throw new BadUserInputError(f, 'must be a whole number from 0 to 50');
    }
    const monthStart = `${month}-01`;
    if (monthStart > partnershipDate(this.clock.now())) throw new BadUserInputError('month', 'cannot be in the future');
    const existing = await repo.findSample(this.db, cluster, month);
    if (existing) {
      if (
        existing.seed !== seed ||
        existing.openCount !== input.openCount ||
        existing.closedCount !== input.closedCount
      ) {
        throw new ConflictError("This month's sample was already drawn with other settings", { field: 'seed' });
      }
      return existing;
    }
    const monthEnd = addDays(addMonths(monthStart, 1), -1);
    const pool = await repo.candidates(this.db, cluster, monthStart, monthEnd);
    const ehaIds = [
      ...drawSample(seed, pool.open, input.openCount),
      ...drawSample(seed, pool.closed, input.closedCount),
    ];
    return repo
      .insertSample(this.db, {
        cluster,
        month,
        seed,
        openCount: input.openCount,
        closedCount: input.closedCount,
        ehaIds,
        drawnBySubject: actor.caller.subject,
        drawnAt: this.clock.now(),
      })
      .catch(async (error: unknown) => {
        if (isUniqueViolation(error)) return (await repo.findSample(this.db, cluster, month))!;
        throw error;
      });
  }

  async recordAudit(
    input: { sampleId: string; ehaId: string; grade: string; findings: string; auditedOn: string },
    actor: Actor,
  ): Promise<repo.QaAuditRow> {
    const sampleId = requireUuid('sampleId', input.sampleId);
    const ehaId = requireUuid('ehaId', input.ehaId);
    const grade = requireOneOf('grade', input.grade, QA_GRADES);
    const findings = requireText('findings', input.findings, { max: 4000 });
    const auditedOn = requireIsoDate('auditedOn', input.auditedOn);
    if (auditedOn > partnershipDate(this.clock.now()))
      throw new BadUserInputError('auditedOn', 'cannot be in the future');
    const sample = await repo.sampleById(this.db, sampleId);
    if (!sample) throw new BadUserInputError('sampleId', 'is not a drawn sample');
    // The case is the auditor's only through the sample. One outside it and one the hub does not
    // hold take the same statement and get the same refusal, and both are audited as attempts.
    const childId = await repo.ehaChild(this.db, ehaId);
    if (!childId || !sample.ehaIds.includes(ehaId)) {
      actor.audit.attempted(childId, ['eha', ehaId]);
      throw new BadUserInputError('ehaId', 'is not in this sample');
    }
    const row = await this.db
      .transaction(async (tx) => {
        const inserted = await repo.insertAudit(tx, {
          sampleId,
          ehaId,
          childId,
          grade,
          findings,
          auditedOn,
          auditorSubject: actor.caller.subject,
          recordedAt: this.clock.now(),
        });
        await actor.audit.changedIn(tx, [{ childId, action: 'recordCaseAudit', fields: ['qaCaseAudit'] }]);
        return inserted;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw new ConflictError('This case is already graded in this sample', { field: 'ehaId' });
        throw error;
      });
    return row;
  }

  async sample(
    cluster: string,
    month: string,
  ): Promise<{ sample: repo.QaSampleRow; audits: repo.QaAuditRow[] } | null> {
    const s = await repo.findSample(this.db, requireOneOf('cluster', cluster, CLUSTERS), requireMonth('month', month));
    return s ? { sample: s, audits: await repo.auditsOf(this.db, s.id) } : null;
  }

  async trend(input: { fromMonth: string; toMonth: string; cluster?: string | null }): Promise<QaTrendPoint[]> {
    const from = requireMonth('fromMonth', input.fromMonth);
    const to = requireMonth('toMonth', input.toMonth);
    if (from > to) throw new BadUserInputError('fromMonth', 'must be on or before toMonth');
    const cluster = input.cluster ? requireOneOf('cluster', input.cluster, CLUSTERS) : null;
    const points = new Map<string, QaTrendPoint>();
    for (const r of await repo.trend(this.db, from, to, cluster)) {
      const key = `${r.month}|${r.cluster}`;
      const p = points.get(key) ?? {
        month: r.month,
        cluster: r.cluster,
        sampled: r.sampled,
        audited: 0,
        byGrade: {},
        goodOrBetterPercent: null,
      };
      if (r.grade) {
        p.byGrade[r.grade] = r.n;
        p.audited += r.n;
      }
      points.set(key, p);
    }
    for (const p of points.values()) {
      const good = (p.byGrade.outstanding ?? 0) + (p.byGrade.good ?? 0);
      p.goodOrBetterPercent = p.audited ? Math.round((1000 * good) / p.audited) / 10 : null;
    }
    return [...points.values()];
  }
}

function requireMonth(field: string, value: string): string {
  if (typeof value !== 'string' || !MONTH.test(value)) throw new BadUserInputError(field, 'must be a month as YYYY-MM');
  return value;
}
