import { describe, expect, it } from 'vitest';
import { distanceTravelled } from './rickter';

describe('distance travelled', () => {
  const start = {
    point: 'start',
    assessedOn: '2027-01-01',
    scores: [
      { area: 'money_and_debt', score: 2 },
      { area: 'safety', score: 5 },
    ],
  };
  it('uses the closure over any review, and only areas scored at both points', () => {
    const d = distanceTravelled([
      start,
      { point: 'review', assessedOn: '2027-04-01', scores: [{ area: 'money_and_debt', score: 9 }] },
      {
        point: 'closure',
        assessedOn: '2027-03-01',
        scores: [
          { area: 'money_and_debt', score: 6 },
          { area: 'safety', score: 4 },
          { area: 'physical_health', score: 8 },
        ],
      },
    ]);
    expect(d).toEqual({
      perArea: [
        { area: 'money_and_debt', start: 2, latest: 6, change: 4 },
        { area: 'safety', start: 5, latest: 4, change: -1 },
      ],
      total: 3,
      latestPoint: 'closure',
      startTotal: 7,
      latestTotal: 10,
    });
  });
  it('uses the latest review without a closure; nothing without a start', () => {
    const d = distanceTravelled([
      start,
      { point: 'review', assessedOn: '2027-02-01', scores: [{ area: 'safety', score: 6 }] },
      { point: 'review', assessedOn: '2027-05-01', scores: [{ area: 'safety', score: 8 }] },
    ]);
    expect(d.total).toBe(3);
    expect(distanceTravelled([{ point: 'review', assessedOn: '2027-02-01', scores: [] }]).total).toBeNull();
  });
});
