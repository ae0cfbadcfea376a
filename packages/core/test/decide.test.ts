import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  afterDeletion,
  decide,
  decideReadWrite,
  participants,
  wouldWait,
  type Decision,
} from '@zk-lock/core';
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

  it('makes a mutex waiter count down on its only predecessor, and one further back watch its immediate predecessor', () => {
    expect(decide([lock(1), lock(2)], lock(2), 1)).toEqual({
      _tag: 'Wait',
      watch: [lock(1)],
      countdown: true,
    });
    expect(decide([lock(3), lock(1), lock(2)], lock(3), 1)).toEqual({
      _tag: 'Wait',
      watch: [lock(2)],
      countdown: false,
    });
  });

  it('lets the first m of a semaphore hold, the next m count down on all ahead, the rest watch m to 2m - 1 ahead', () => {
    const children = [lock(8), lock(1), lock(2), lock(3), lock(4), lock(5), lock(6), lock(7)];
    expect(decide(children, lock(2), 3)).toEqual({ _tag: 'Held' });
    expect(decide(children, lock(3), 3)).toEqual({ _tag: 'Held' });
    const all = (n: number) => ({
      _tag: 'Wait',
      watch: [1, 2, 3, 4, 5].slice(0, n).map(lock),
      countdown: true,
    });
    expect(decide(children, lock(4), 3)).toEqual(all(3));
    expect(decide(children, lock(6), 3)).toEqual(all(5));
    expect(decide(children, lock(7), 3)).toEqual({
      _tag: 'Wait',
      watch: [lock(2), lock(3), lock(4)],
      countdown: false,
    });
    expect(decide(children, lock(8), 3)).toEqual({
      _tag: 'Wait',
      watch: [lock(3), lock(4), lock(5)],
      countdown: false,
    });
  });

  it('orders by sequence, not by string', () => {
    expect(decide([lock(10), lock(9)], lock(10), 1)).toEqual({
      _tag: 'Wait',
      watch: [lock(9)],
      countdown: true,
    });
  });

  it('counts readers as participants, so an exclusive lock excludes them', () => {
    expect(decide([read(1), lock(2)], lock(2), 1)).toEqual({
      _tag: 'Wait',
      watch: [read(1)],
      countdown: true,
    });
  });

  it('counts a countdown down to Held, one deletion at a time, and leaves any other wait to a listing', () => {
    const waiting = decide([lock(1), lock(2), lock(3), lock(4), lock(5)], lock(5), 3);
    const once = afterDeletion(waiting, lock(2), 3);
    expect(once).toEqual({ _tag: 'Wait', watch: [lock(1), lock(3), lock(4)], countdown: true });
    // Not one of those ahead (our own node, say): list again.
    expect(afterDeletion(once, lock(5), 3)).toBeUndefined();
    expect(afterDeletion(once, lock(2), 3)).toBeUndefined();
    expect(afterDeletion(once, lock(4), 3)).toEqual({ _tag: 'Held' });
    const far = decide([lock(1), lock(2), lock(3)], lock(3), 1);
    expect(afterDeletion(far, lock(2), 1)).toBeUndefined();
    expect(afterDeletion(decideReadWrite([lock(1), lock(2)], lock(2)), lock(1), 1)).toBeUndefined();
    expect(afterDeletion(undefined, lock(1), 1)).toBeUndefined();
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
    expect(decideReadWrite(children, read(4))).toEqual({ _tag: 'Wait', watch: [lock(3)], countdown: false });
  });

  it('makes a writer wait for its immediate predecessor, reader or writer', () => {
    expect(decideReadWrite([read(1), read(2), lock(3)], lock(3))).toEqual({
      _tag: 'Wait',
      watch: [read(2)],
      countdown: false,
    });
    expect(decideReadWrite([lock(1), lock(2)], lock(2))).toEqual({
      _tag: 'Wait',
      watch: [lock(1)],
      countdown: false,
    });
    expect(decideReadWrite([lock(2), 'x'], lock(2))).toEqual({ _tag: 'Held' });
  });

  it('makes a reader watch the nearest preceding writer', () => {
    expect(decideReadWrite([lock(1), read(2), lock(3), read(4), read(5)], read(5))).toEqual({
      _tag: 'Wait',
      watch: [lock(3)],
      countdown: false,
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

/** The names that precede `me` in `names`, nearest first. */
const predecessorsOf = (names: ReadonlyArray<string>, me: string): string[] =>
  names
    .filter((n) => sequenceOfName(n) < sequenceOfName(me))
    .sort((a, b) => sequenceOfName(b) - sequenceOfName(a));

describe('decide properties', () => {
  test.prop([listing, fc.integer({ min: 1, max: 5 })])(
    'agrees with the sorted order: held iff fewer than m precede us, a countdown on all of them below 2m, else a watch on those m to 2m - 1 ahead',
    ({ names, mine }, m) => {
      const me = names[mine]!;
      const predecessors = predecessorsOf(names, me);
      const expected: Decision =
        predecessors.length < m
          ? { _tag: 'Held' }
          : predecessors.length < 2 * m
            ? { _tag: 'Wait', watch: [...predecessors].reverse(), countdown: true }
            : { _tag: 'Wait', watch: predecessors.slice(m - 1, 2 * m - 1).reverse(), countdown: false };
      expect(decide(names, me, m)).toEqual(expected);
    },
  );

  test.prop([listing, fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(), { maxLength: 12 })])(
    'a countdown holds exactly when fewer than m of the predecessors it listed remain, whatever the order of deletions',
    ({ names, mine }, m, picks) => {
      const me = names[mine]!;
      let decision: Decision | undefined = decide(names, me, m);
      fc.pre(decision._tag === 'Wait' && decision.countdown);
      const remaining = predecessorsOf(names, me);
      for (const pick of picks) {
        if (decision?._tag !== 'Wait' || remaining.length === 0) break;
        const [gone] = remaining.splice(pick % remaining.length, 1) as [string];
        decision = afterDeletion(decision, gone, m);
        expect(decision?._tag).toBe(remaining.length < m ? 'Held' : 'Wait');
      }
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
    const queue = participants(children);
    const index = queue.findIndex((p) => p.name === mine);
    if (index < 0) return { _tag: 'Missing' };
    return index < m ? { _tag: 'Held' } : { _tag: 'Wait', watch: [queue[index - 1]!.name], countdown: false };
  };

describe('join/leave simulation with K participants and m slots', () => {
  it('ours: holders never exceed m and no waiter is stranded while a slot is free', () => {
    fc.assert(
      fc.property(slots, steps(false), (m, s) => {
        const countdown = (d: Decision, gone: string) => afterDeletion(d, gone, m);
        expect(simulate((c, mine) => decide(c, mine, m), entitledSemaphore(m), s, countdown)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('the simulation catches a countdown that holds one deletion early', () => {
    const early = (m: number) => (d: Decision, gone: string) => {
      const counted = afterDeletion(d, gone, m);
      return counted?._tag === 'Wait' && counted.watch.length === m ? { _tag: 'Held' as const } : counted;
    };
    const details = fc.check(
      fc.property(
        slots,
        steps(false),
        (m, s) => simulate((c, mine) => decide(c, mine, m), entitledSemaphore(m), s, early(m)) === undefined,
      ),
      { numRuns: 500, seed: 42 },
    );
    expect(details.failed).toBe(true);
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
