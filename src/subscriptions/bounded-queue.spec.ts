import { describe, expect, it } from 'vitest';
import { BoundedQueue, EventBudget, SubscriberTooSlowError } from './bounded-queue';

describe('BoundedQueue', () => {
  it('hands an event straight to a waiting consumer without using the budget', async () => {
    const budget = new EventBudget({ limit: 1 });
    const queue = new BoundedQueue<number>(budget);
    const pending = queue.next();
    expect(queue.push(1)).toBe(true);
    expect(await pending).toEqual({ value: 1, done: false });
    expect(budget.pending).toBe(0);
  });

  it('keeps order and releases budget as events are taken', async () => {
    const budget = new EventBudget({ limit: 3 });
    const queue = new BoundedQueue<number>(budget);
    for (const n of [1, 2, 3]) expect(queue.push(n)).toBe(true);
    expect(budget.pending).toBe(3);
    expect((await queue.next()).value).toBe(1);
    expect(budget.pending).toBe(2);
    expect(queue.push(4)).toBe(true);
    expect([(await queue.next()).value, (await queue.next()).value, (await queue.next()).value]).toEqual([2, 3, 4]);
    expect(budget.pending).toBe(0);
  });

  it('overflows once past the connection limit, shared by every queue of the connection, and fails the stream', async () => {
    const overflows: SubscriberTooSlowError[] = [];
    const budget = new EventBudget({ limit: 2, onOverflow: (e) => overflows.push(e) });
    const a = new BoundedQueue<number>(budget);
    const b = new BoundedQueue<number>(budget);
    expect(a.push(1)).toBe(true);
    expect(b.push(2)).toBe(true);
    expect(b.push(3)).toBe(false);
    expect(a.push(4)).toBe(false);
    expect(overflows).toHaveLength(1);
    expect(overflows[0]!.message).toMatch(/too slow: more than 2 events/);
    await expect(b.next()).rejects.toBeInstanceOf(SubscriberTooSlowError);
    expect(b.size).toBe(0);
  });

  it('drops held events and ends on return(), resolving a waiting consumer', async () => {
    let closed = 0;
    const budget = new EventBudget({ limit: 5 });
    const queue = new BoundedQueue<number>(budget, () => {
      closed++;
    });
    queue.push(1);
    queue.push(2);
    await queue.return();
    expect(budget.pending).toBe(0);
    expect(closed).toBe(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(queue.push(3)).toBe(false);

    const other = new BoundedQueue<number>(budget);
    const waiting = other.next();
    await other.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new EventBudget({ limit: 0 })).toThrow(RangeError);
  });
});
