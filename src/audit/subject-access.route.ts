/**
 * `GET /dpo/subject-access/:childId`: the subject-access export as a JSON file download, for the
 * DPO (bearer token, role dpo; purpose subject_access, the default here). Audit before disclose,
 * as for GraphQL: the export's audit row is written before a byte of it is sent; if that write
 * fails the DPO gets a 503 and no data.
 */
import type { RequestHandler } from 'express';
import { PURPOSE_HEADER } from '../access/purposes';
import type { VerifyToken } from '../auth/verify-token';
import { ErrorCode, ForbiddenError, HubError } from '../errors';
import { authenticate, bearerToken, contextFor, parsePurpose } from '../server/authenticate';
import type { HubServices } from '../server/services';
import { safeErrorFields } from '../shared/logger';

export const SUBJECT_ACCESS_PATH = '/dpo/subject-access/:childId';

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401, [ErrorCode.FORBIDDEN]: 403, [ErrorCode.BAD_USER_INPUT]: 400, [ErrorCode.NOT_FOUND]: 404,
};

export function subjectAccessRoute(services: HubServices, verifyToken: VerifyToken): RequestHandler {
  return async (req, res) => {
    const requestId = String(res.locals.requestId ?? '');
    let body: string;
    let childId: string;
    try {
      const caller = await authenticate(bearerToken(req.header('authorization')), verifyToken, services);
      if (caller.role !== 'dpo') throw new ForbiddenError('Only a data protection officer may download a subject access report');
      const ctx = contextFor(services, caller, parsePurpose(req.header(PURPOSE_HEADER)) ?? 'subject_access', requestId || undefined);
      const report = await services.dpo.subjectAccessReport(String(req.params.childId), ctx.access, ctx.audit);
      childId = String(report.childId);
      body = JSON.stringify(report, null, 2);
      try {
        await services.audit.record({ requestId: ctx.requestId, caller, purpose: ctx.purpose, operation: 'download', operationName: 'subjectAccessReport', audit: ctx.audit });
      } catch (error) {
        services.logger.error({ requestId, err: safeErrorFields(error) }, 'audit write failed; download withheld');
        res.status(503).json({ errors: [{ message: 'The access audit could not be written, so no data is returned', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } }] });
        return;
      }
    } catch (error) {
      if (error instanceof HubError || (error as HubError)?.extensions?.code) {
        const e = error as HubError;
        const code = String(e.extensions.code);
        res.status(STATUS[code] ?? 400).json({ errors: [{ message: e.message, extensions: { code, ...(e.extensions.field ? { field: e.extensions.field } : {}), requestId } }] });
        return;
      }
      services.logger.error({ requestId, err: safeErrorFields(error) }, 'subject access export failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } }] });
      return;
    }
    res.setHeader('content-disposition', `attachment; filename="subject-access-${childId}.json"`);
    res.setHeader('cache-control', 'no-store');
    res.type('application/json').send(body);
  };
}
