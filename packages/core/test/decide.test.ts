import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decide, decideReadWrite, wouldWait, type Decision } from '@zk-lock/core';
import {
  entitledReadWrite,
  entitledSemaphore,
  simulate,
  type Rule,
  type Step,
} from './support/simulation.js';

const lock = (n: number): string => `lock-${String(n).padStart(10, '0')}`;
const read = (n: number): string => `read-${String(n).padStart(10, '0')}`;

describe('decide (mutex and semaphore)', () => {
  it('holds the lowest sequence of a mutex', () => {
    expect(decide([lock(3), lock(1), lock(2)], lock(1), 1)).toEqual({ _tag: 'Held' });
  });

  it('makes a mutex waiter watch its immediate predecessor', () => {
    expect(decide([lock(3), lock(1), lock(2)], lock(3), 1)).toEqual({ _tag: 'Wait', watch: [lock(2)] });
  });

  it('lets the first m of a semaphore hold and the others watch the m before them', () => {
    const children = [lock(5), lock(1), lock(2), lock(3), lock(4)];
    expect(decide(children, lock(2), 3)).toEqual({ _tag: 'Held' });
    expect(decide(children, lock(3), 3)).toEqual({ _tag: 'Held' });
    expect(decide(children, lock(4), 3)).toEqual({ _tag: 'Wait', watch: [lock(1), lock(2), lock(3)] });
    expect(decide(children, lock(5), 3)).toEqual({ _tag: 'Wait', watch: [lock(2), lock(3), lock(4)] });
  });

  it('orders by sequence, not by string', () => {
    expect(decide([lock(10), lock(9)], lock(10), 1)).toEqual({ _tag: 'Wait', watch: [lock(9)] });
  });

  it('counts readers as participants, so an exclusive lock excludes them', () => {
    expect(decide([read(1), lock(2)], lock(2), 1)).toEqual({ _tag: 'Wait', watch: [read(1)] });
  });

  it('ignores foreign children', () => {
    expect(decide(['zz', lock(2), 'lock-1', 'read-x'], lock(2), 1)).toEqual({ _tag: 'Held' });
  });

  it('reports our node missing', () => {
    expect(decide([lock(1)], lock(2), 1)).toEqual({ _tag: 'Missing' });
  });

  it('tells whether a newcomer would wait (2.x checkLock)', () => {
    expect(wouldWait([], 1)).toBe(false);
    expect(wouldWait(['foreign'], 1)).toBe(false);
    expect(wouldWait([lock(1)], 1)).toBe(true);
    expect(wouldWait([lock(1)], 2)).toBe(false);
    expect(wouldWait([lock(1), read(2)], 2)).toBe(true);
  });
});

describe('decideReadWrite', () => {
  it('lets readers share until a writer precedes them', () => {
    const children = [read(1), read(2), lock(3), read(4)];
    expect(decideReadWrite(children, read(1))).toEqual({ _tag: 'Held' });
    expect(decideReadWrite(children, read(2))).toEqual({ _tag: 'Held' });
    expect(decideReadWrite(children, read(4))).toEqual({ _tag: 'Wait', watch: [lock(3)] });
  });

  it('makes a writer wait for its immediate predecessor, reader or writer', () => {
    expect(decideReadWrite([read(1), read(2), lock(3)], lock(3))).toEqual({ _tag: 'Wait', watch: [read(2)] });
    expect(decideReadWrite([lock(1), lock(2)], lock(2))).toEqual({ _tag: 'Wait', watch: [lock(1)] });
    expect(decideReadWrite([lock(2), 'x'], lock(2))).toEqual({ _tag: 'Held' });
  });

  it('makes a reader watch the nearest preceding writer', () => {
    expect(decideReadWrite([lock(1), read(2), lock(3), read(4), read(5)], read(5))).toEqual({
      _tag: 'Wait',
      watch: [lock(3)],
    });
  });

  it('reports our node missing', () => {
    expect(decideReadWrite([read(1)], read(2))).toEqual({ _tag: 'Missing' });
  });
});

/** Participants with distinct sequences, one of them ours, plus foreign names. */
const listing = fc
  .uniqueArray(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 12 })
  .chain((sequences) =>
    fc.record({
      names: fc.tuple(...sequences.map((s) => fc.boolean().map((r) => (r ? read(s) : lock(s))))),
      mine: fc.nat(sequences.length - 1),
      foreign: fc.array(
        fc.oneof(
          fc.string(),
          fc.constantFrom('lock-', 'lock-1', 'read-01', 'lock-00000000001', 'write-0000000001'),
        ),
        { maxLength: 5 },
      ),
      order: fc.array(fc.nat(), { minLength: sequences.length + 5, maxLength: sequences.length + 5 }),
    }),
  );

const sequenceOfName = (name: string): number => Number(name.slice(5));

describe('decide properties', () => {
  test.prop([listing, fc.integer({ min: 1, max: 5 })])(
    'agrees with the sorted order: held iff fewer than m precede us, else watch the m nearest predecessors',
    ({ names, mine }, m) => {
      const me = names[mine]!;
      const predecessors = names
        .filter((n) => sequenceOfName(n) < sequenceOfName(me))
        .sort((a, b) => sequenceOfName(b) - sequenceOfName(a));
      const expected: Decision =
        predecessors.length < m
          ? { _tag: 'Held' }
          : { _tag: 'Wait', watch: predecessors.slice(0, m).reverse() };
      expect(decide(names, me, m)).toEqual(expected);
    },
  );

  test.prop([listing, fc.integer({ min: 1, max: 5 })])(
    'foreign names and the order of the listing never change the result',
    ({ names, mine, foreign, order }, m) => {
      const me = names[mine]!;
      const mixed = [...names, ...foreign]
        .map((n, i) => [order[i % order.length]!, n] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, n]) => n);
      expect(decide(mixed, me, m)).toEqual(decide(names, me, m));
      expect(decideReadWrite(mixed, me)).toEqual(decideReadWrite(names, me));
    },
  );
});

/** Up to K = 8 participants joining and leaving in any order. */
const steps = (readers: boolean): fc.Arbitrary<Step[]> =>
  fc
    .array(
      fc.oneof(
        fc.record({ op: fc.constant('join' as const), reader: readers ? fc.boolean() : fc.constant(false) }),
        fc.record({ op: fc.constant('leave' as const), pick: fc.nat(7) }),
      ),
      { maxLength: 40 },
    )
    .filter((s) => s.filter((x) => x.op === 'join').length <= 8);

const slots = fc.integer({ min: 1, max: 4 });

/**
 * zk-lock 2.x's semaphore rule: hold among the first m, else watch only the immediate
 * predecessor. Kept here as the documented counterexample: it strands waiters.
 */
const immediatePredecessorRule =
  (m: number): Rule =>
  (children, mine) => {
    const decision = decide(children, mine, m);
    return decision._tag === 'Wait' ? { _tag: 'Wait', watch: decision.watch.slice(-1) } : decision;
  };

describe('join/leave simulation with K participants and m slots', () => {
  it('ours: holders never exceed m and no waiter is stranded while a slot is free', () => {
    fc.assert(
      fc.property(slots, steps(false), (m, s) => {
        expect(simulate((c, mine) => decide(c, mine, m), entitledSemaphore(m), s)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('the 2.x rule (watch only the immediate predecessor): fast-check finds a stranded waiter', () => {
    const details = fc.check(
      fc.property(
        slots,
        steps(false),
        (m, s) => simulate(immediatePredecessorRule(m), entitledSemaphore(m), s) === undefined,
      ),
      { numRuns: 500, seed: 42 },
    );
    expect(details.failed).toBe(true);
    const [m, s] = details.counterexample!;
    const violation = simulate(immediatePredecessorRule(m), entitledSemaphore(m), s);
    // Safe, but not live: a slot is free and an entitled waiter was never told.
    expect(violation?.kind).toBe('stranded');
    expect(m).toBeGreaterThan(1);
    expect(violation!.holders.length).toBeLessThan(m);
  });

  it('the simulation catches an unsafe rule', () => {
    const alwaysHeld: Rule = () => ({ _tag: 'Held' });
    const join: Step = { op: 'join', reader: false };
    expect(simulate(alwaysHeld, entitledSemaphore(1), [join, join])?.kind).toBe('safety');
  });

  it('the 2.x rule with m = 1 (a plain mutex) is correct', () => {
    fc.assert(
      fc.property(steps(false), (s) => {
        expect(simulate(immediatePredecessorRule(1), entitledSemaphore(1), s)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('read/write: a writer holds alone, readers share, nobody is stranded', () => {
    fc.assert(
      fc.property(steps(true), (s) => {
        expect(simulate(decideReadWrite, entitledReadWrite, s)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
