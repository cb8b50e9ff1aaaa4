/**
 * SCIM 2.0 endpoints for an identity provider provisioning practitioners (`/scim/v2`).
 * Authenticated by the bearer token every other way in takes: a token from a trusted issuer
 * (trust registry), not revoked, for an organisation the hub knows, with the role `admin` — the
 * identity provider's provisioning client is given such a token (client credentials), and
 * revoking its client id stops it. No separate SCIM secret to store, rotate or leak.
 * Users are practitioners (scim.service.ts), Groups the hub's roles (scim.groups.service.ts).
 * Answers and errors are SCIM's own (`application/scim+json`, RFC 7644 §3.12).
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Caller } from '../auth/caller';
import { UnauthenticatedError } from '../errors';
import type { HubServices } from '../server/services';
import { safeErrorFields } from '../shared/logger';
import type { AdminRequest } from '../admin-audit/admin-audit';
import { ScimError } from './scim.errors';
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  patchUser,
  replaceUser,
  toScim,
  USER_SCHEMA,
  PRACTITIONER_EXTENSION,
} from './scim.service';
import { getGroup, GROUP_SCHEMA, listGroups, patchGroup } from './scim.groups.service';

const SCIM_JSON = 'application/scim+json';

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_JSON).send(JSON.stringify(body));
}

/** Verifies an `Authorization` header as every other way in does (given by the composition root). */
export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

export function scimRouter(services: HubServices, authenticate: Authenticate): Router {
  const router = Router();
  const deps = { db: services.db };
  const base = (req: Request) => `${req.protocol}://${req.get('host')}${req.baseUrl}`;

  router.use(async (req, res, next) => {
    try {
      const caller = await authenticate(req.header('authorization'));
      if (caller.role !== 'admin') throw new ScimError(403, 'provisioning needs the admin role');
      res.locals.caller = caller;
      next();
    } catch (error) {
      next(error instanceof UnauthenticatedError ? new ScimError(401, error.message) : error);
    }
  });
  router.use(express.json({ type: ['application/json', SCIM_JSON], limit: '100kb' }));

  const admin = (_req: Request, res: Response): AdminRequest => ({
    caller: res.locals.caller as Caller,
    requestId: res.locals.requestId as string,
    channel: 'scim',
    at: services.clock.now(),
  });
  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
      fn(req, res).catch(next);
    };
  const query = (req: Request, name: string) =>
    typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;

  router.get(
    '/Users',
    handle(async (req, res) => {
      send(
        res,
        200,
        await listUsers(
          deps,
          { filter: query(req, 'filter'), startIndex: query(req, 'startIndex'), count: query(req, 'count') },
          base(req),
        ),
      );
    }),
  );
  router.post(
    '/Users',
    handle(async (req, res) => {
      const created = toScim(await createUser(deps, req.body, admin(req, res)), base(req));
      res.setHeader('location', (created.meta as { location: string }).location);
      send(res, 201, created);
    }),
  );
  router.get(
    '/Users/:id',
    handle(async (req, res) => {
      send(res, 200, toScim(await getUser(deps, req.params.id as string), base(req)));
    }),
  );
  router.put(
    '/Users/:id',
    handle(async (req, res) => {
      send(res, 200, toScim(await replaceUser(deps, req.params.id as string, req.body, admin(req, res)), base(req)));
    }),
  );
  router.patch(
    '/Users/:id',
    handle(async (req, res) => {
      send(res, 200, toScim(await patchUser(deps, req.params.id as string, req.body, admin(req, res)), base(req)));
    }),
  );
  router.delete(
    '/Users/:id',
    handle(async (req, res) => {
      await deleteUser(deps, req.params.id as string, admin(req, res));
      res.status(204).end();
    }),
  );

  router.get(
    '/Groups',
    handle(async (req, res) => {
      send(
        res,
        200,
        await listGroups(
          deps,
          {
            filter: query(req, 'filter'),
            startIndex: query(req, 'startIndex'),
            count: query(req, 'count'),
            excludedAttributes: query(req, 'excludedAttributes'),
          },
          base(req),
        ),
      );
    }),
  );
  router.get(
    '/Groups/:id',
    handle(async (req, res) => {
      send(res, 200, await getGroup(deps, req.params.id as string, query(req, 'excludedAttributes'), base(req)));
    }),
  );
  router.patch(
    '/Groups/:id',
    handle(async (req, res) => {
      send(res, 200, await patchGroup(deps, req.params.id as string, req.body, admin(req, res), base(req)));
    }),
  );
  // The Groups are the hub's roles: a fixed set, so none is created, replaced or deleted.
  router.all(['/Groups', '/Groups/:id'], (_req, _res, next) =>
    next(
      new ScimError(
        403,
        "Groups are the hub's roles: members change by PATCH; a Group is not created, replaced or deleted",
      ),
    ),
  );

  // Discovery, so identity providers can check what the hub supports before provisioning.
  router.get('/ServiceProviderConfig', (_req, res) => {
    send(res, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'A JWT from a trusted issuer with the admin role',
        },
      ],
    });
  });
  router.get('/Schemas', (_req, res) => {
    send(res, 200, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 3,
      Resources: [{ id: USER_SCHEMA }, { id: PRACTITIONER_EXTENSION }, { id: GROUP_SCHEMA }],
    });
  });

  router.use((_req: Request, _res: Response, next: NextFunction) => next(new ScimError(404, 'no such SCIM endpoint')));
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ScimError) return send(res, error.status, error.body());
    const status = (error as { status?: number; type?: string }).status;
    // express.json's own refusals: bad JSON, too large.
    if (status === 400)
      return send(res, 400, new ScimError(400, 'the request body is not valid JSON', 'invalidSyntax').body());
    if (status === 413) return send(res, 413, new ScimError(413, 'the request body is too large').body());
    services.logger.error({ event: 'scim_failed', ...safeErrorFields(error) }, 'SCIM request failed');
    send(res, 500, new ScimError(500, 'the request could not be completed').body());
  });
  return router;
}
