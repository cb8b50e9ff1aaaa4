/**
 * Quality assurance over HTTP: a reproducible random sample of open and closed
 * cases per cluster and month (checked against an independent re-draw from the seed), a grading
 * and findings per case, and the trend over months.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedCase, buildWorld, caseIn, type World } from './workflow-support';

const DRAW = `mutation ($input: DrawQaSampleInput!) { drawQaSample(input: $input) { id cluster month seed openCount closedCount ehaIds audits { ehaId grade } } }`;
const GRADE = `mutation ($input: RecordCaseAuditInput!) { recordCaseAudit(input: $input) { ehaId grade findings auditedOn } }`;
const TREND = `query ($f: String!, $t: String!, $c: Cluster) { qaTrend(fromMonth: $f, toMonth: $t, cluster: $c) { month cluster sampled audited goodOrBetterPercent grades { grade count } } }`;

/** The draw rule restated independently: lowest SHA-256 of "<seed>:<id>" first. */
const redraw = (seed: string, ids: string[], n: number) =>
  ids
    .map((id) => ({ id, k: createHash('sha256').update(`${seed}:${id}`).digest('hex') }))
    .sort((a, b) => (a.k < b.k ? -1 : 1))
    .slice(0, n)
    .map((x) => x.id);

describe('QA: monthly case audits', () => {
  let w: World;
  const open: string[] = [];
  const closed: string[] = [];
  let sample: { id: string; ehaIds: string[] };

  beforeAll(async () => {
    w = await buildWorld('2027-03-10T09:00:00Z');
    for (let i = 0; i < 5; i++) open.push((await acceptedCase(w)).ehaId);
    for (let i = 0; i < 3; i++) closed.push((await caseIn(w, 'closed')).ehaId);
  });
  afterAll(() => w.t.close());

  it('draws a reproducible sample of open and closed cases: the same seed re-draws the same cases', async () => {
    const res = await w.ok(w.token.fsm, DRAW, {
      input: { cluster: 'central', month: '2027-03', openCount: 3, closedCount: 2 },
    });
    sample = res.drawQaSample;
    expect(res.drawQaSample).toMatchObject({
      cluster: 'central',
      month: '2027-03',
      seed: 'qa:central:2027-03',
      openCount: 3,
      closedCount: 2,
      audits: [],
    });
    expect(sample.ehaIds).toEqual([
      ...redraw('qa:central:2027-03', open, 3),
      ...redraw('qa:central:2027-03', closed, 2),
    ]);
    const again = await w.ok(w.token.maspChair, DRAW, {
      input: { cluster: 'central', month: '2027-03', openCount: 3, closedCount: 2 },
    });
    expect(again.drawQaSample.ehaIds).toEqual(sample.ehaIds);
    const changed = await w.t.post(w.token.fsm, DRAW, {
      input: { cluster: 'central', month: '2027-03', openCount: 3, closedCount: 2, seed: 'another' },
    });
    expect(changed.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const future = await w.t.post(w.token.fsm, DRAW, {
      input: { cluster: 'central', month: '2027-05', openCount: 1, closedCount: 0 },
    });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
    const badMonth = await w.t.post(w.token.fsm, DRAW, {
      input: { cluster: 'central', month: '2027-3', openCount: 1, closedCount: 0 },
    });
    expect(badMonth.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
    expect(
      (
        await w.t.post(w.token.screener, DRAW, {
          input: { cluster: 'central', month: '2027-03', openCount: 3, closedCount: 2 },
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it('grades sampled cases once each; a case outside the sample is refused', async () => {
    const [a, b] = sample.ehaIds;
    const g = await w.ok(w.token.fsm, GRADE, {
      input: {
        sampleId: sample.id,
        ehaId: a,
        grade: 'good',
        findings: 'Plan SMART; voice of the child recorded',
        auditedOn: w.today(),
      },
    });
    expect(g.recordCaseAudit).toEqual({
      ehaId: a,
      grade: 'good',
      findings: 'Plan SMART; voice of the child recorded',
      auditedOn: w.today(),
    });
    await w.ok(w.token.fsm, GRADE, {
      input: {
        sampleId: sample.id,
        ehaId: b,
        grade: 'requires_improvement',
        findings: 'Review late',
        auditedOn: w.today(),
      },
    });
    const twice = await w.t.post(w.token.fsm, GRADE, {
      input: { sampleId: sample.id, ehaId: a, grade: 'inadequate', findings: 'x', auditedOn: w.today() },
    });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const outside = [...open, ...closed].find((id) => !sample.ehaIds.includes(id))!;
    const refused = await w.t.post(w.token.fsm, GRADE, {
      input: { sampleId: sample.id, ehaId: outside, grade: 'good', findings: 'x', auditedOn: w.today() },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ehaId' });
  });

  it('shows the trend over months', async () => {
    w.clock.set('2027-04-20T09:00:00Z');
    const april = await w.ok(w.token.fsm, DRAW, {
      input: { cluster: 'central', month: '2027-04', openCount: 2, closedCount: 0 },
    });
    expect(april.drawQaSample.ehaIds).toEqual(redraw('qa:central:2027-04', open, 2));
    for (const ehaId of april.drawQaSample.ehaIds) {
      await w.ok(w.token.fsm, GRADE, {
        input: { sampleId: april.drawQaSample.id, ehaId, grade: 'good', findings: 'Improved', auditedOn: w.today() },
      });
    }
    const trend = await w.ok(w.token.maspChair, TREND, { f: '2027-01', t: '2027-12', c: 'central' });
    const count = (p: { grades: { grade: string; count: number }[] }, g: string) =>
      p.grades.find((x) => x.grade === g)!.count;
    expect(
      trend.qaTrend.map((p: { month: string; sampled: number; audited: number; goodOrBetterPercent: number }) => [
        p.month,
        p.sampled,
        p.audited,
        p.goodOrBetterPercent,
      ]),
    ).toEqual([
      ['2027-03', 5, 2, 50],
      ['2027-04', 2, 2, 100],
    ]);
    expect(count(trend.qaTrend[0], 'requires_improvement')).toBe(1);
  });
});
