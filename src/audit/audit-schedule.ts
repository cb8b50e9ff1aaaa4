/**
 * The audit's scheduled jobs: incremental verification of the Merkle log against its latest
 * checkpoint, and the retention sweep. Run by the hub process and by the standalone worker, each
 * on its own interval (AUDIT_VERIFY_INTERVAL_MS, RETENTION_SWEEP_INTERVAL_MS; 0 turns one off).
 *
 * A failed verification is loud on purpose — an error log line and `hub_audit_log_verified` 0 —
 * because nobody reads a verification nobody asked for. Neither carries personal data: the
 * reason names log positions and seqs, never a child or a caller.
 */
import {
  auditLogVerified,
  auditVerifications,
  retentionChildrenDeleted,
  retentionSweeps,
} from '../observability/metrics';
import type { Logger } from '../shared/logger';
import type { AuditLog, LogReport } from './audit-log.service';
import type { RetentionService, SweepReport } from './retention.service';

export interface AuditScheduleOptions {
  log: AuditLog;
  retention: RetentionService;
  logger: Logger;
  /** 0: no scheduled verification. */
  verifyIntervalMs: number;
  /** 0: no scheduled sweep. */
  retentionIntervalMs: number;
}

export class AuditSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: AuditScheduleOptions) {}

  start(): void {
    const { verifyIntervalMs, retentionIntervalMs } = this.options;
    if (verifyIntervalMs > 0) this.every(verifyIntervalMs, () => this.verify());
    if (retentionIntervalMs > 0) this.every(retentionIntervalMs, () => this.sweep());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** One verification from the last verified checkpoint; logged and counted, never thrown. */
  async verify(): Promise<LogReport | null> {
    const { log, logger } = this.options;
    try {
      const report = await log.verifyIncremental();
      auditVerifications.inc({ outcome: report.ok ? 'ok' : 'failed' });
      auditLogVerified.set(report.ok ? 1 : 0);
      const facts = {
        fromTreeSize: report.fromTreeSize,
        treeSize: report.checkpoint?.treeSize ?? 0,
        checked: report.checked,
      };
      if (report.ok) logger.info(facts, 'audit log verified against its latest checkpoint');
      else
        logger.error(
          { ...facts, firstBrokenSeq: report.firstBrokenSeq, reason: report.reason },
          'AUDIT LOG VERIFICATION FAILED: the audit log does not match its signed checkpoint; tell the DPO',
        );
      return report;
    } catch (error) {
      auditVerifications.inc({ outcome: 'failed' });
      auditLogVerified.set(0);
      logger.error(
        { err: { name: (error as Error).name, message: (error as Error).message } },
        'AUDIT LOG VERIFICATION FAILED: the check could not run',
      );
      return null;
    }
  }

  /** One retention sweep (deleting); logged with counts per table, never thrown. */
  async sweep(): Promise<SweepReport | null> {
    const { retention, logger } = this.options;
    try {
      const report = await retention.sweep({ dryRun: false });
      retentionSweeps.inc({ outcome: 'ok' });
      retentionChildrenDeleted.inc(report.due.length);
      logger.info(
        { asOf: report.asOf, deleted: report.due.length, held: report.held.length, rows: rowsPerTable(report.due) },
        'retention sweep done',
      );
      return report;
    } catch (error) {
      retentionSweeps.inc({ outcome: 'failed' });
      logger.error(
        { err: { name: (error as Error).name, message: (error as Error).message } },
        'retention sweep failed',
      );
      return null;
    }
  }

  private every(intervalMs: number, job: () => Promise<unknown>): void {
    const slot = this.timers.length;
    const tick = () => {
      if (this.stopped) return;
      const run = job().finally(() => {
        this.inFlight.delete(run);
        if (!this.stopped) this.timers[slot] = setTimeout(tick, intervalMs).unref();
      });
      this.inFlight.add(run);
    };
    this.timers.push(setTimeout(tick, intervalMs).unref());
  }
}

/** Rows per table summed over the sweep's children. */
export function rowsPerTable(entries: SweepReport['due']): Record<string, number> {
  const total: Record<string, number> = {};
  for (const entry of entries)
    for (const [table, n] of Object.entries(entry.rows)) total[table] = (total[table] ?? 0) + n;
  return total;
}
