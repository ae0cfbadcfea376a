import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { describe, expect } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import {
  LockEngine,
  lockMachine,
  parentHint,
  type LockAttempt,
  type LockClock,
  type LockEvent,
  type LockPort,
  type LockSnapshot,
  type ZkErrorCode,
  zkFailure,
} from '@zk-lock/core';

/*
 * The engine against random inputs and random event sequences (any event in any state, also
 * events the state ignores, and time passing for the machine's delays), over a port that records
 * what it is asked and never answers by itself: answers come only as the events the test sends.
 *
 * The snapshots come from xstate's own `transition`; what the engine adds is the running of an
 * attempt around it: events queued during a step, delayed events scheduled and cancelled on a
 * clock, the end. xstate's own actor does the same for the same machine, so it is the reference
 * for those (its effect actions do nothing there). And after every event the effects must match
 * the state: subscribed to the session exactly while a session is known and the attempt runs, one
 * watch armed exactly while waiting, `disconnect` exactly once when ended, no timer left after.
 */

/** A port that keeps count of what is open, and whose requests never settle. */
const recordingPort = () => {
  const open = { subscriptions: 0, watches: 0, disconnects: 0, requests: 0 };
  const pending = () => {
    open.requests++;
    return () => new Promise<never>(() => undefined);
  };
  const port: LockPort = {
    connect: pending,
    connectNow: () => O.none,
    createSequential: pending,
    createSequentialAndList: pending,
    createParents: pending,
    listChildren: pending,
    listChildrenWithOwners: pending,
    watchDeletion: () => () => {
      open.watches++;
      let armed = true;
      return Promise.resolve(
        E.right(() => {
          if (armed) open.watches--;
          armed = false;
        }),
      );
    },
    remove: pending,
    parentHint: () => parentHint('container', false),
    subscribe: () => {
      open.subscriptions++;
      let subscribed = true;
      return () => {
        if (subscribed) open.subscriptions--;
        subscribed = false;
      };
    },
    disconnect: () => {
      open.disconnects++;
      return Promise.resolve();
    },
  };
  return { port, open };
};

/** A simulated clock that counts the timers pending on it. */
const countingClock = () => {
  const clock = new SimulatedClock();
  const pending = new Set<unknown>();
  const counting: LockClock = {
    setTimeout: (fire, ms) => {
      const id: unknown = clock.setTimeout(() => {
        pending.delete(id);
        fire();
      }, ms);
      pending.add(id);
      return id;
    },
    clearTimeout: (id) => {
      pending.delete(id);
      clock.clearTimeout(id as number);
    },
  };
  return { clock, counting, pending };
};

const session = { sessionId: '0000000000000001', sessionTimeoutMs: 4000 };
const failure = (code: ZkErrorCode) => zkFailure(code, code);
const codes: ZkErrorCode[] = ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_NODE', 'NODE_EXISTS', 'CLOSED'];
const MINE = 'lock-0000000005';
const listing = (ahead: number) => ({
  children: [...Array.from({ length: ahead }, (_, i) => `lock-000000000${i}`), MINE],
  parentCzxid: 7n,
});

type Step = LockEvent | { readonly type: 'advance'; readonly ms: number };

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<LockEvent>(
    { type: 'ACQUIRE' },
    { type: 'ACQUIRE', session },
    { type: 'RELEASE' },
    { type: 'CANCEL' },
    { type: 'DESTROY' },
    { type: 'TIMEOUT' },
    { type: 'WATCH.FIRED' },
    { type: 'CONNECTION.SUSPENDED', lostInMs: 50 },
    { type: 'CONNECTION.RECONNECTED' },
    { type: 'CONNECTION.LOST', reason: 'expired' },
    { type: 'DONE.connect', output: session },
    { type: 'DONE.createParents', output: undefined },
    { type: 'DONE.remove', output: undefined },
    { type: 'DONE.listChildrenWithOwners', output: [] },
    {
      type: 'DONE.listChildrenWithOwners',
      output: [{ name: MINE, data: '{"lockId":"id-1"}', ephemeralOwner: session.sessionId }],
    },
  ),
  fc
    .integer({ min: 0, max: 3 })
    .map((ahead): LockEvent => ({ type: 'DONE.listChildren', output: listing(ahead) })),
  fc
    .integer({ min: 0, max: 3 })
    .map((i): LockEvent => ({ type: 'WATCH.FIRED', deleted: `lock-000000000${i}` })),
  fc.integer({ min: -1, max: 3 }).map((ahead): LockEvent => ({
    type: 'DONE.createSequentialAndList',
    output: {
      node: MINE,
      listing: ahead < 0 ? E.left(failure('CONNECTION_LOSS')) : E.right(listing(ahead)),
    },
  })),
  fc
    .tuple(
      fc.constantFrom(
        'connect',
        'createSequentialAndList',
        'createParents',
        'listChildren',
        'listChildrenWithOwners',
        'remove',
      ),
      fc.constantFrom(...codes),
    )
    .map(([request, code]) => ({ type: `FAILED.${request}`, failure: failure(code) }) as LockEvent),
  fc.constantFrom(...codes).map((code): LockEvent => ({ type: 'WATCH.FAILED', failure: failure(code) })),
  fc.integer({ min: 1, max: 1500 }).map((ms) => ({ type: 'advance' as const, ms })),
);

const arbAttempt = fc.record({
  kind: fc.constantFrom('exclusive' as const, 'read' as const),
  maxHolders: fc.integer({ min: 1, max: 3 }),
  failImmediate: fc.boolean(),
  timeoutMs: fc.constantFrom(0, 100, 2500),
  parent: fc
    .tuple(fc.constantFrom('container' as const, 'persistent' as const), fc.boolean())
    .map(([nodes, seen]) => parentHint(nodes, seen)),
  withSession: fc.boolean(),
});

const comparable = (snapshot: { value: unknown; status: string; context: unknown }) => ({
  value: snapshot.value,
  status: snapshot.status,
  context: snapshot.context,
});

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('the lock engine', () => {
  test.prop([arbAttempt, fc.array(arbStep, { maxLength: 40 })], { numRuns: 300 })(
    'steps like xstate’s actor, and its effects follow the state, through any sequence of events',
    async ({ withSession, ...options }, steps) => {
      const attempt: LockAttempt = {
        ...options,
        parentPath: '/locks/app/job',
        lockId: 'id-1',
        nodeData: '{"lockId":"id-1"}',
      };
      const input = withSession ? { attempt, session } : { attempt };
      const { port, open } = recordingPort();
      const time = countingClock();
      let completions = 0;
      const engine = new LockEngine({
        port,
        clock: time.counting,
        observer: { next: () => undefined, complete: () => completions++ },
      });
      const referenceClock = new SimulatedClock();
      const reference = createActor(lockMachine, { input, clock: referenceClock }).start();

      const check = async (after: string): Promise<void> => {
        await flush();
        const snapshot: LockSnapshot = engine.snapshot;
        expect(comparable(snapshot), after).toEqual(comparable(reference.getSnapshot()));
        const running = snapshot.status === 'active';
        expect(open.subscriptions, after).toBe(running && snapshot.context.session !== undefined ? 1 : 0);
        expect(open.watches, after).toBe(running && snapshot.matches('waiting') ? 1 : 0);
        expect(open.disconnects, after).toBe(running ? 0 : 1);
        expect(completions, after).toBe(running ? 0 : 1);
        // Delayed events pending: the lock timeout until held, and the delay of the state it is in.
        const delaying = /awaitingConnection|suspended/.test(JSON.stringify(snapshot.value)) ? 1 : 0;
        const locking = attempt.timeoutMs > 0 && !snapshot.hasTag('held') ? 1 : 0;
        if (!running) expect(time.pending.size, after).toBe(0);
        else if (snapshot.hasTag('held')) expect(time.pending.size, after).toBe(delaying);
        else expect(time.pending.size, after).toBeLessThanOrEqual(locking + delaying);
      };

      engine.start(input);
      await check('start');
      for (const step of steps) {
        if (step.type === 'advance') {
          time.clock.increment(step.ms);
          referenceClock.increment(step.ms);
        } else {
          engine.send(step);
          if (reference.getSnapshot().status === 'active') reference.send(step);
        }
        await check(JSON.stringify(step, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
      }
      reference.stop();
    },
  );
});
