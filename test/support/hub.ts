/**
 * A real hub for end-to-end tests: a real HTTP server on a random port, a real database
 * (see database.ts), real JWT verification against a key made for the test run.
 */
import type { WitnessPublisher } from '../../src/audit/witness-client';
import { GraphQLClient } from 'graphql-request';
import { loadDevIssuer, type DevIssuer } from '../../src/auth/dev-issuer';
import { trustRegistry } from '../../src/auth/trust-registry';
import { createTokenVerifier } from '../../src/auth/verify-token';
import type { Role } from '../../src/access/roles';
import { createHub, type Hub } from '../../src/server/hub';
import type { AuditKeys } from '../../src/audit/audit-keys';
import type { CheckpointStore } from '../../src/audit/checkpoint-store';
import { createServices, type HubServices } from '../../src/server/services';
import type { PatientDirectoryAdapter } from '../../adapters/pds/patient-directory';
import { fixedClock, systemClock, type Clock } from '../../src/shared/clock';
import { silentLogger, type Logger } from '../../src/shared/logger';
import type { HardeningOverrides } from '../../src/hardening/harden';
import { suiteLogger } from './suite-log';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_AUDIENCE = 'early-help-hub';
export const TEST_ISSUER = 'urn:early-help-hub:test';
/** Tests send hundreds of requests a second from one address and token. */
const TEST_RATE_LIMITS = { callerPerMinute: 1_000_000, organisationPerMinute: 1_000_000, addressPerMinute: 1_000_000 };

export interface TestHub {
  hub: Hub;
  url: string;
  database: TestDatabase;
  services: HubServices;
  issuer: DevIssuer;
  token(claims: {
    role: Role;
    org: string;
    sub?: string;
    clientId?: string;
    expiresIn?: string | number;
  }): Promise<string>;
  /**
   * graphql-request client with a token and purpose. It and `post` answer once the feed inbox has
   * applied what the request received, so a test reads a feed's effect right after posting it.
   */
  client(token: string | null, purpose?: string | null): GraphQLClient;
  /** Raw POST, for asserting on errors and partial data exactly as a client sees them. */
  post(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
    purpose?: string | null,
  ): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, unknown>;
}

export interface StartTestHubOptions {
  clock?: Clock;
  logger?: Logger;
  database?: TestDatabase;
  /** Limits, introspection, CORS… (default: the hub's defaults; rate limits raised for tests). */
  hardening?: HardeningOverrides;
  /** Shared secret of the Liquid Logic webhook (unset: it answers 503). */
  liquidLogicWebhookSecret?: string;
  /** The trusted-operations path for registered queries (default on, as in production). */
  trustedOperations?: boolean;
  /** The audit log's key and checkpoint store (default: fresh, in memory). */
  auditKeys?: AuditKeys;
  checkpointStore?: CheckpointStore;
  auditWitness?: WitnessPublisher;
  /** The PDS adapter NHS numbers are traced against (default none: tracing answers SERVICE_UNAVAILABLE). */
  pds?: PatientDirectoryAdapter | null;
}

export async function startTestHub(options: StartTestHubOptions = {}): Promise<TestHub> {
  const database = options.database ?? (await createTestDatabase());
  const issuer = await loadDevIssuer(null, TEST_ISSUER);
  const verifyToken = createTokenVerifier({ registry: trustRegistry([issuer.trusted]), audience: TEST_AUDIENCE });
  const services = createServices({
    database,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? suiteLogger() ?? silentLogger,
    liquidLogicWebhookSecret: options.liquidLogicWebhookSecret,
    auditKeys: options.auditKeys,
    checkpointStore: options.checkpointStore,
    auditWitness: options.auditWitness,
    pds: options.pds ?? null,
  });
  // Test clients' idle keep-alive sockets need no last-request grace when a test hub stops.
  const hub = await createHub({
    services,
    verifyToken,
    drainIdleGraceMs: 50,
    trustedOperations: options.trustedOperations,
    hardening: { ...options.hardening, rateLimits: { ...TEST_RATE_LIMITS, ...options.hardening?.rateLimits } },
  });
  const base = await hub.listen(0);
  const settledFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    await services.feedInbox.settled();
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const url = `${base}/graphql`;
  const headers = (token: string | null, purpose: string | null | undefined) => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(purpose === null ? {} : { 'x-purpose-of-use': purpose ?? 'direct_support' }),
  });
  return {
    hub,
    url,
    database,
    services,
    issuer,
    token: ({ role, org, sub, clientId, expiresIn }) =>
      issuer.sign({ role, org, sub: sub ?? `test-${role}`, clientId, audience: TEST_AUDIENCE, expiresIn }),
    client: (token, purpose) => new GraphQLClient(url, { headers: headers(token, purpose), fetch: settledFetch }),
    async post(token, query, variables, purpose) {
      const res = await settledFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers(token, purpose) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) } as GraphQLResponse;
    },
    async close() {
      await hub.stop();
      await services.feedInbox.stop();
      if (!options.database) await database.destroy();
    },
  };
}

export { fixedClock };
