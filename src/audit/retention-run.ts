/**
 * What `npm run audit:retention` does, apart from opening the database: parse its arguments, run
 * the sweep (a dry run deletes nothing), print progress while it runs and, at the end, what was
 * (or would be) deleted — children per record type and rows per table. Counts only: the output
 * names no child, so it can go to a terminal, a ticket or a log. `--list` adds the child ids.
 */
import { parseArgs } from 'node:util';
import { rowsPerTable } from './audit-schedule';
import type { RetentionService, SweepReport } from './retention.service';

export const RETENTION_USAGE = 'usage: npm run audit:retention -- (--dry-run | --delete) [--list] [--json]';

export interface RetentionRunOptions {
  dryRun: boolean;
  list: boolean;
  json: boolean;
}

/** The options, or the reason the arguments are refused. */
export function parseRetentionArgs(args: readonly string[]): RetentionRunOptions | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'dry-run': { type: 'boolean' },
        delete: { type: 'boolean' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (Boolean(values['dry-run']) === Boolean(values.delete))
    return { error: 'give exactly one of --dry-run (report only) or --delete' };
  return { dryRun: Boolean(values['dry-run']), list: Boolean(values.list), json: Boolean(values.json) };
}

export async function runRetention(
  retention: RetentionService,
  options: RetentionRunOptions,
  out: { progress(line: string): void; result(text: string): void },
): Promise<SweepReport> {
  out.progress(
    `${options.dryRun ? 'Dry run (nothing is deleted)' : 'Deleting'}: case data past its retention date, legal holds excepted`,
  );
  const report = await retention.sweep({
    dryRun: options.dryRun,
    onProgress: (p) =>
      out.progress(
        `  examined ${p.examined} children old enough to be due: ${p.due} ${options.dryRun ? 'due' : 'deleted'}, ${p.held} held${p.done ? ' (done)' : ''}`,
      ),
  });
  out.result(options.json ? JSON.stringify(summary(report, options.list), null, 2) : text(report, options.list));
  return report;
}

function byType(entries: SweepReport['due']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) counts[e.recordType] = (counts[e.recordType] ?? 0) + 1;
  return counts;
}

function summary(report: SweepReport, list: boolean) {
  return {
    dryRun: report.dryRun,
    asOf: report.asOf,
    due: { children: report.due.length, byRecordType: byType(report.due), rowsPerTable: rowsPerTable(report.due) },
    held: { children: report.held.length, rowsPerTable: rowsPerTable(report.held) },
    ...(list
      ? {
          dueChildren: report.due.map((e) => ({
            childId: e.childId,
            mergedChildIds: e.mergedChildIds,
            recordType: e.recordType,
            retainUntil: e.retainUntil,
          })),
          heldChildren: report.held.map((e) => e.childId),
        }
      : {}),
    policy: report.policy,
  };
}

function text(report: SweepReport, list: boolean): string {
  const verb = report.dryRun ? 'would be deleted' : 'deleted';
  const lines = [
    `Retention as of ${report.asOf}: ${report.due.length} children's records ${verb}, ${report.held.length} kept under a legal hold.`,
  ];
  for (const [type, n] of Object.entries(byType(report.due)))
    lines.push(`  ${type}: ${n} (${report.policy[type as keyof SweepReport['policy']].source})`);
  const tables = Object.entries(rowsPerTable(report.due)).sort(([a], [b]) => a.localeCompare(b));
  if (tables.length) {
    lines.push(`Rows ${verb}, per table (the access audit is never deleted):`);
    const width = Math.max(...tables.map(([t]) => t.length));
    for (const [table, n] of tables) lines.push(`  ${table.padEnd(width)}  ${n}`);
  }
  if (list) {
    for (const e of report.due)
      lines.push(
        `  ${verb}: ${e.childId}${e.mergedChildIds.length ? ` (+ merged ${e.mergedChildIds.join(', ')})` : ''} ${e.recordType}, kept until ${e.retainUntil}`,
      );
    for (const e of report.held) lines.push(`  held: ${e.childId}`);
  }
  return lines.join('\n');
}
