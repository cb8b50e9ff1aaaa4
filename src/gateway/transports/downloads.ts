/**
 * File downloads for the DPO as a transport of the gateway: each route is a row of `DOWNLOADS`
 * saying who may ask, under which default purpose, and how the file is produced. Admission (the
 * verified token, the organisation check, the role), the run (the one mask, the audit written
 * before a byte is sent, a 503 and no data if it fails) and the HTTP answer are shared.
 *  - `GET /dpo/subject-access/:childId[?format=json|csv|html]`: the subject-access export as JSON,
 *    CSV or a printable page (or as the Accept header asks);
 *  - `GET /dpo/audit-log/export[?treeSize=N]`: the audit log's first N entries (default: the
 *    latest checkpoint's size) as NDJSON, to check offline with `npm run audit:verify` against
 *    checkpoints the DPO holds. Audit metadata only (ids, roles, field names, bases), never case data.
 */
import type { Request, RequestHandler } from 'express';
import { Capability, requireCapability } from '../../access/capabilities';
import {
  organisationIdsIn,
  reportCsv,
  reportFormat,
  reportHtml,
  type SubjectAccessReportData,
} from '../../audit/subject-access-format';
import { PURPOSE_HEADER, type Purpose } from '../../access/purposes';
import type { VerifyToken } from '../../auth/verify-token';
import { BadUserInputError } from '../../errors';
import type { HubContext } from '../../server/context';
import type { HubServices } from '../../server/services';
import { safeErrorFields } from '../../shared/logger';
import { authenticate, bearerToken, contextFor, parsePurpose } from '../authenticate';
import { AUDIT_FAILED_STATUS, auditFailedResult } from '../disclose';
import { maskThrown } from '../mask';
import { run } from '../run';

/** A file ready to send: produced (and its reads recorded) before the audit is written. */
export interface DownloadFile {
  readonly filename: string;
  readonly contentType: string;
  /** The whole body, or lines streamed after the headers (audit metadata only: nothing to record). */
  readonly body: string | AsyncIterable<string>;
}

export interface Download {
  readonly path: string;
  /** Recorded in the audit as the operation's name. */
  readonly name: string;
  /** What the caller must hold (the permission table's capability, never a role). */
  readonly capability: Capability;
  readonly refusal: string;
  /** The purpose when the request states none. */
  readonly defaultPurpose: Purpose | null;
  produce(services: HubServices, context: HubContext, req: Request): Promise<DownloadFile>;
}

export const SUBJECT_ACCESS_PATH = '/dpo/subject-access/:childId';
export const AUDIT_EXPORT_PATH = '/dpo/audit-log/export';

export const DOWNLOADS: readonly Download[] = [
  {
    path: SUBJECT_ACCESS_PATH,
    name: 'subjectAccessReport',
    capability: Capability.OverseeAccess,
    refusal: 'Only a data protection officer may download a subject access report',
    defaultPurpose: 'subject_access',
    async produce(services, ctx, req) {
      const format = reportFormat(req.query.format, req.header('accept'));
      if (!format) throw new BadUserInputError('format', 'must be json, csv or html');
      const report = await services.dpo.subjectAccessReport(String(req.params.childId), ctx.access, ctx.audit);
      const filename = `subject-access-${String(report.childId)}.${format}`;
      if (format === 'json')
        return { filename, contentType: 'application/json', body: JSON.stringify(report, null, 2) };
      const data = report as unknown as SubjectAccessReportData;
      const names = await services.dpo.organisationNames(organisationIdsIn(data));
      return format === 'csv'
        ? { filename, contentType: 'text/csv; charset=utf-8', body: reportCsv(data, names) }
        : { filename, contentType: 'text/html; charset=utf-8', body: reportHtml(data, names) };
    },
  },
  {
    path: AUDIT_EXPORT_PATH,
    name: 'auditLogExport',
    capability: Capability.OverseeAccess,
    refusal: 'Only a data protection officer may export the audit log',
    defaultPurpose: null,
    async produce(services, _ctx, req) {
      const latest = services.auditLog.latestPublished()?.treeSize ?? 0;
      const asked = req.query.treeSize === undefined ? latest : Number(req.query.treeSize);
      if (!Number.isInteger(asked) || asked < 0 || asked > latest)
        throw new BadUserInputError('treeSize', `must be a whole number up to the latest checkpoint's ${latest}`);
      return {
        filename: `audit-log-${asked}.ndjson`,
        contentType: 'application/x-ndjson',
        body: services.auditLog.exportLines(asked),
      };
    },
  },
];

export function downloadRoute(download: Download, services: HubServices, verifyToken: VerifyToken): RequestHandler {
  return async (req, res) => {
    const requestId = String(res.locals.requestId ?? '');
    let file: DownloadFile;
    try {
      const caller = await authenticate(bearerToken(req.header('authorization')), verifyToken, services);
      requireCapability(caller, download.capability, { message: download.refusal });
      const ctx = contextFor(
        services,
        caller,
        parsePurpose(req.header(PURPOSE_HEADER)) ?? download.defaultPurpose,
        requestId || undefined,
      );
      const outcome = await run(ctx, { operation: 'download', operationName: download.name }, async () => ({
        file: await download.produce(services, ctx, req),
      }));
      if (!outcome.disclosed) {
        res.status(AUDIT_FAILED_STATUS).json(auditFailedResult(requestId));
        return;
      }
      file = outcome.result.file;
    } catch (error) {
      const masked = maskThrown(error, requestId, services.logger, services.database.health, `${download.name} failed`);
      res.status(masked.status).json({ errors: [masked.error] });
      return;
    }
    res.setHeader('content-disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('cache-control', 'no-store');
    res.type(file.contentType);
    if (typeof file.body === 'string') {
      res.send(file.body);
      return;
    }
    try {
      for await (const chunk of file.body) res.write(chunk);
      res.end();
    } catch (error) {
      services.logger.error({ requestId, err: safeErrorFields(error) }, `${download.name} failed mid-stream`);
      res.destroy();
    }
  };
}
