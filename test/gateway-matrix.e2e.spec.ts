/**
 * The same cases through every way in. Each transport is a row: how it sends a document the shape
 * limits refuse, an operation its caller may not run, and the ordinary request that discloses a
 * pupil's name (with or without a stated purpose). Each case is then checked the same way on every
 * row: refused with the same code, nothing of the pupil in the answer, the one mask's wording, and
 * nothing disclosed when the audit cannot be written. A new transport is one more row.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessAudit } from '../schema';
import { AccessDecider } from '../src/access/access-decider';
import { recordCaseEvent } from '../src/events/case-events';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { subscribe, until } from './support/ws-client';

const MIS = 'matrix-school-mis';
const PUPIL = 'query Pupil($id: ID) { child(id: $id) { id givenName } }';
/** Deeper than the hub below allows; its fields need not exist: the shape is refused before validation. */
const DEEP = 'query Deep { a { b { c { d { e { f } } } } } }';
const DPO_ONLY = 'query Head { auditCheckpoint { verifierKey } }';
const CASE_CHANGED =
  'subscription ($childId: ID) { caseChanged(childId: $childId) { id childId child { id givenName } } }';
/** The text of the fault a test plants; it must never reach a client. */
const FAULT = 'planted fault 7f3a: connection string postgres://secret@db';

/** What a client got: the errors as sent, and the whole answer as text (to look for the pupil). */
interface Answer {
  errors: { message: string; extensions?: Record<string, unknown> }[];
  raw: string;
}

type Purpose = string | null;

interface Transport {
  readonly name: string;
  sendRefusedShape(): Promise<Answer>;
  sendRefusedOperation(): Promise<Answer>;
  /** The request that discloses the pupil's name when everything is in order. */
  sendDisclosing(purpose?: Purpose): Promise<Answer>;
  /** Makes the next disclosing request fail inside the hub, with FAULT as the error's message. */
  plantFault(): () => void;
  /** What this transport does when no purpose is stated: refuse, or record the one it implies. */
  readonly withoutPurpose: { refused: true } | { defaultsTo: string };
}

let t: TestHub;
let pupil: { id: string; givenName: string };
let schoolDsl: string;
let misClient: string;
let dpo: string;
/** A role that may not subscribe (the DPO may: it hears of access from outside the team). */
let admin: string;
let schoolId: string;

async function post(token: string, body: unknown, purpose: Purpose = 'direct_support'): Promise<Answer> {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(purpose === null ? {} : { 'x-purpose-of-use': purpose }),
    },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  return { errors: JSON.parse(raw).errors ?? [], raw };
}

async function download(token: string, childId: string, purpose: Purpose = 'subject_access'): Promise<Answer> {
  const res = await fetch(`${t.url.replace(/\/graphql$/, '')}/dpo/subject-access/${encodeURIComponent(childId)}`, {
    headers: { authorization: `Bearer ${token}`, ...(purpose === null ? {} : { 'x-purpose-of-use': purpose }) },
  });
  const raw = await res.text();
  return { errors: res.ok ? [] : (JSON.parse(raw).errors ?? []), raw };
}

/** Subscribes, and (when the subscription is accepted) emits one change to the pupil and waits for what arrives. */
async function live(token: string, query: string, purpose: Purpose = 'direct_support'): Promise<Answer> {
  const before = t.hub.subscriptions!.subscribers;
  const sub = subscribe(t.url, { token, purpose }, query, { childId: pupil.id });
  try {
    const refused = await Promise.race([
      sub.error,
      until(() => t.hub.subscriptions!.subscribers > before, 10_000, 'the subscription').then(() => null),
    ]);
    if (refused) return { errors: refused as Answer['errors'], raw: JSON.stringify(refused) };
    const restore = faultAfterSubscribe?.();
    faultAfterSubscribe = null;
    try {
      return await nextEvent(sub);
    } finally {
      restore?.();
    }
  } finally {
    await sub.dispose();
    // The next row counts subscribers from here: wait for the server to let this one go.
    await until(() => t.hub.subscriptions!.subscribers <= before, 10_000, 'the subscription to end');
  }
}

async function nextEvent(sub: ReturnType<typeof subscribe<any>>): Promise<Answer> {
  {
    const event = await t.database.db.transaction((tx) =>
      recordCaseEvent(tx, {
        childId: pupil.id,
        kind: 'attendance_flagged',
        categories: ['education'],
        changedFields: ['attendance'],
        refs: {},
        actor: { subject: 'matrix-actor', organisationId: schoolId },
        at: new Date(),
      }),
    );
    const result = await sub.find((r) => r.data?.caseChanged?.id === String(event.seq) || (r.errors?.length ?? 0) > 0);
    return { errors: (result.errors ?? []) as Answer['errors'], raw: JSON.stringify(result) };
  }
}

/** A fault below every GraphQL transport: the access decision itself throws. */
function faultInDecisions(): () => void {
  const { decide, decideNow } = AccessDecider.prototype;
  AccessDecider.prototype.decide = async () => {
    throw new Error(FAULT);
  };
  AccessDecider.prototype.decideNow = () => {
    throw new Error(FAULT);
  };
  return () => Object.assign(AccessDecider.prototype, { decide, decideNow });
}

/** Set by the WebSocket row: planted once the subscription is accepted, so the fault hits the event, not the subscribe. */
let faultAfterSubscribe: (() => () => void) | null = null;

const TRANSPORTS: Transport[] = [
  {
    name: 'HTTP (Apollo)',
    sendRefusedShape: () => post(schoolDsl, { query: DEEP }),
    sendRefusedOperation: () => post(schoolDsl, { query: DPO_ONLY }),
    sendDisclosing: (purpose) => post(schoolDsl, { query: PUPIL, variables: { id: pupil.id } }, purpose),
    plantFault: faultInDecisions,
    withoutPurpose: { refused: true },
  },
  {
    name: 'registered operation',
    sendRefusedShape: () => post(misClient, { query: DEEP }),
    sendRefusedOperation: () => post(misClient, { query: DPO_ONLY }),
    sendDisclosing: async (purpose) => {
      const served = t.hub.trustedOperations!.served();
      const answer = await post(misClient, { query: PUPIL, variables: { id: pupil.id } }, purpose);
      // The row is only this transport if the registered path answered it, not Apollo.
      expect(t.hub.trustedOperations!.served()).toBe(served + 1);
      return answer;
    },
    plantFault: faultInDecisions,
    withoutPurpose: { refused: true },
  },
  {
    name: 'WebSocket (subscribe, then each event)',
    sendRefusedShape: () => live(schoolDsl, DEEP.replace('query', 'subscription')),
    sendRefusedOperation: () => live(admin, CASE_CHANGED),
    sendDisclosing: (purpose) => live(schoolDsl, CASE_CHANGED, purpose),
    plantFault: () => {
      faultAfterSubscribe = faultInDecisions;
      return () => {
        faultAfterSubscribe = null;
      };
    },
    withoutPurpose: { refused: true },
  },
  {
    name: 'download (subject access)',
    sendRefusedShape: () => download(dpo, 'not-a-child-id'),
    sendRefusedOperation: () => download(schoolDsl, pupil.id),
    sendDisclosing: (purpose) => download(dpo, pupil.id, purpose),
    plantFault: () => {
      const dpoService = t.services.dpo;
      const original = dpoService.subjectAccessReport;
      dpoService.subjectAccessReport = async () => {
        throw new Error(FAULT);
      };
      return () => {
        dpoService.subjectAccessReport = original;
      };
    },
    withoutPurpose: { defaultsTo: 'subject_access' },
  },
];

const codes = (answer: Answer) => answer.errors.map((e) => e.extensions?.code);

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ehh-matrix-')), 'operations.json');
  writeFileSync(file, JSON.stringify({ [MIS]: [PUPIL, DEEP, DPO_ONLY] }));
  t = await startTestHub({ hardening: { persistedOperationsFile: file, limits: { maxDepth: 4 } } });
  const f = fixture(t.database.db);
  schoolId = await f.org('matrix-school', 'school');
  const council = await f.org('matrix-council', 'council_early_help');
  const child = await f.child({ givenName: 'Matrixgiven' });
  pupil = { id: child.id, givenName: 'Matrixgiven' };
  await f.involve(pupil.id, schoolId, 'on_roll');
  await f.consent(pupil.id, { organisationKinds: ['school'], categories: ['identity', 'identifiers', 'education'] });
  schoolDsl = await t.token({ role: 'school_dsl', org: schoolId, sub: 'matrix-dsl' });
  misClient = await t.token({ role: 'school_staff', org: schoolId, sub: 'matrix-mis', clientId: MIS });
  dpo = await t.token({ role: 'dpo', org: council, sub: 'matrix-dpo' });
  admin = await t.token({ role: 'admin', org: council, sub: 'matrix-admin' });
}, 60_000);

afterAll(() => t?.close());

describe.each(TRANSPORTS)('every way in: $name', (transport) => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('discloses the pupil when everything is in order (the control for every case below)', async () => {
    const answer = await transport.sendDisclosing();
    expect(answer.errors).toEqual([]);
    expect(answer.raw).toContain(pupil.givenName);
  });

  it('refuses a document or request of a shape it does not take, disclosing nothing', async () => {
    const answer = await transport.sendRefusedShape();
    expect(codes(answer)).toHaveLength(1);
    expect(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(codes(answer)[0]);
    expect(answer.raw).not.toContain(pupil.givenName);
  });

  it('refuses an operation the caller may not run, with FORBIDDEN', async () => {
    const answer = await transport.sendRefusedOperation();
    expect(codes(answer)).toEqual(['FORBIDDEN']);
    expect(answer.raw).not.toContain(pupil.givenName);
  });

  it('discloses nothing when the audit cannot be written', async () => {
    const audit = t.services.audit;
    const original = audit.record;
    audit.record = async () => {
      throw new Error(FAULT);
    };
    restore = () => {
      audit.record = original;
    };
    const answer = await transport.sendDisclosing();
    expect(codes(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(answer.errors[0]!.message).toBe('The access audit could not be written, so no data is returned');
    expect(answer.raw).not.toContain(pupil.givenName);
    expect(answer.raw).not.toContain('planted fault');
  });

  it('masks an unexpected error: the one wording, the request id, nothing of the fault or the pupil', async () => {
    restore = transport.plantFault();
    const answer = await transport.sendDisclosing();
    expect(answer.errors.length).toBeGreaterThan(0);
    for (const error of answer.errors) {
      expect(error).toMatchObject({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) },
      });
    }
    expect(answer.raw).not.toContain('planted fault');
    expect(answer.raw).not.toContain('secret');
    expect(answer.raw).not.toContain(pupil.givenName);
  });

  it('without a stated purpose: refused as BAD_USER_INPUT on the purpose, or audited under the purpose the route implies', async () => {
    const answer = await transport.sendDisclosing(null);
    const { withoutPurpose } = transport;
    if ('refused' in withoutPurpose) {
      expect(answer.raw).not.toContain(pupil.givenName);
      expect(answer.errors.length).toBeGreaterThan(0);
      for (const error of answer.errors)
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'x-purpose-of-use' });
    } else {
      expect(answer.errors).toEqual([]);
      const rows = await t.database.db
        .select()
        .from(accessAudit)
        .where(and(eq(accessAudit.childId, pupil.id), eq(accessAudit.operation, 'download')));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.purpose === withoutPurpose.defaultsTo)).toBe(true);
    }
  });
});
