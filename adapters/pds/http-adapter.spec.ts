/**
 * The PDS adapter against the simulator over real HTTP: a scored search, a read, a superseded
 * number followed to the current record, a restricted record without its address, and 5xx
 * retried with backoff before a typed error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpPdsAdapter } from './http-adapter';
import { PdsError } from './patient-directory';
import { DEMO_PATIENTS, startPdsSimulator, type PdsSimulator } from './simulator';

const [plain, superseding, restricted] = DEMO_PATIENTS as [
  (typeof DEMO_PATIENTS)[0],
  (typeof DEMO_PATIENTS)[0],
  (typeof DEMO_PATIENTS)[0],
];

describe('HttpPdsAdapter against the PDS simulator', () => {
  let sim: PdsSimulator;
  let pds: HttpPdsAdapter;
  const admin = async (path: string, body?: unknown) =>
    (await fetch(`${sim.adminUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json())) as Record<string, any>;

  beforeAll(async () => {
    sim = await startPdsSimulator();
    pds = new HttpPdsAdapter({ baseUrl: sim.url, backoffMs: 10, retries: 2, timeoutMs: 2_000 });
  });
  beforeEach(() => admin('/admin/reset', {}));
  afterAll(() => sim.close());

  it('finds a patient by demographics with its search score', async () => {
    const found = await pds.search({
      family: plain.familyName.toUpperCase(),
      given: plain.givenNames[0],
      birthdate: plain.birthDate,
      postcode: plain.postcode,
    });
    expect(found).toEqual([
      {
        score: 1,
        patient: {
          nhsNumber: plain.nhsNumber,
          givenNames: plain.givenNames,
          familyName: plain.familyName,
          birthDate: plain.birthDate,
          addressLine: plain.addressLines.join(', '),
          postcode: plain.postcode,
          restricted: false,
        },
      },
    ]);
  });

  it('scores lower when a detail differs, and finds nobody for unknown demographics', async () => {
    const [match] = await pds.search({ family: plain.familyName, birthdate: plain.birthDate, postcode: 'LE9 9ZZ' });
    expect(match!.score).toBeLessThan(1);
    expect(await pds.search({ family: 'Nobodyknown', birthdate: '2015-01-01' })).toEqual([]);
  });

  it('reads a patient by NHS number; an unknown number is null', async () => {
    expect(await pds.read(plain.nhsNumber)).toMatchObject({
      supersededNumber: null,
      patient: { nhsNumber: plain.nhsNumber, familyName: plain.familyName },
    });
    expect(await pds.read('9434765919')).toBeNull();
  });

  it('follows a superseded number to the current record', async () => {
    const old = superseding.supersededNumbers![0]!;
    expect(await pds.read(old)).toMatchObject({
      supersededNumber: old,
      patient: { nhsNumber: superseding.nhsNumber },
    });
  });

  it('answers a restricted record without its address', async () => {
    const read = await pds.read(restricted.nhsNumber);
    expect(read!.patient).toMatchObject({ restricted: true, addressLine: null, postcode: null });
    const [found] = await pds.search({ family: restricted.familyName, birthdate: restricted.birthDate });
    expect(found!.patient).toMatchObject({ restricted: true, addressLine: null, postcode: null });
  });

  it('retries a 5xx with backoff and succeeds when PDS recovers', async () => {
    await admin('/admin/faults', { failNext: 2, failStatus: 503 });
    expect((await pds.read(plain.nhsNumber))!.patient.nhsNumber).toBe(plain.nhsNumber);
    expect(await admin('/admin/stats')).toMatchObject({ requests: 3, failed: 2 });
  });

  it('gives up with a typed, retryable error after its retries', async () => {
    await admin('/admin/faults', { failNext: 5, failStatus: 500 });
    const error = await pds.read(plain.nhsNumber).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdsError);
    expect(error).toMatchObject({ code: 'server_error', retryable: true, status: 500 });
    expect(await admin('/admin/stats')).toMatchObject({ requests: 3, failed: 3 });
  });

  it('times out a request that is never answered, and does not retry a refused one', async () => {
    const impatient = new HttpPdsAdapter({ baseUrl: sim.url, timeoutMs: 200, retries: 0 });
    await admin('/admin/faults', { timeoutNext: 1 });
    await expect(impatient.read(plain.nhsNumber)).rejects.toMatchObject({ code: 'timeout', retryable: true });
    await admin('/admin/faults', {});
    await expect(pds.search({ family: '', birthdate: '2015-01-01' })).rejects.toMatchObject({
      code: 'rejected',
      retryable: false,
      status: 400,
    });
  });

  it('reports a connection failure while PDS is down, and works again once it is back', async () => {
    await admin('/admin/down', {});
    await expect(pds.read(plain.nhsNumber)).rejects.toMatchObject({ code: 'connection_failed' });
    await admin('/admin/up', {});
    expect((await pds.read(plain.nhsNumber))!.patient.nhsNumber).toBe(plain.nhsNumber);
  });
});
