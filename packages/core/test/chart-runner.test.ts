import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, SimulatedClock } from 'xstate';
import {
  compileChart,
  createLockRunner,
  lockMachine,
  type LockEvent,
  type LockMachineInput,
  type LockPort,
  type ZkErrorCode,
  zkFailure,
} from '@zk-lock/core';

/**
 * The chart runner against xstate's own actor, event by event: random inputs and random event
 * sequences (any event in any state, also events the state ignores, and time passing for the
 * machine's delays), both over a port that records every call and never answers by itself. After
 * every event both must be in the same state with the same context, status and port calls.
 */

type Call = readonly [method: string, ...args: unknown[]];

/** A port whose requests never settle: answers come only as the events the test sends. */
const recordingPort = (calls: Call[]): LockPort => {
  const pending = () => () => new Promise<never>(() => undefined);
  const record =
    (method: string) =>
    (...args: unknown[]) => {
      // A callback (the watch's) is the machine's own closure, different per actor: record its kind.
      calls.push([method, ...args.map((arg) => (typeof arg === 'function' ? 'function' : arg))]);
      return pending();
    };
  return {
    connect: record('connect'),
    connectNow: () => O.none,
    createSequential: record('createSequential'),
    createSequentialAndList: record('createSequentialAndList'),
    createParents: record('createParents'),
    listChildren: record('listChildren'),
    listChildrenWithOwners: record('listChildrenWithOwners'),
    watchDeletion: record('watchDeletion'),
    remove: record('remove'),
    subscribe: (listener) => {
      calls.push(['subscribe']);
      void listener;
      return () => calls.push(['unsubscribe']);
    },
    disconnect: () => {
      calls.push(['disconnect']);
      return Promise.resolve();
    },
  } as LockPort;
};

const session = { sessionId: '0x1', sessionTimeoutMs: 4000 };
const failure = (code: ZkErrorCode) => zkFailure(code, code);
const codes: ZkErrorCode[] = ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_NODE', 'NODE_EXISTS', 'CLOSED'];
const MINE = 'lock-0000000005';
const listing = (ahead: number) => ({
  children: [...Array.from({ length: ahead }, (_, i) => `lock-000000000${i}`), MINE],
  parentCzxid: 7n,
});

const arbEvent: fc.Arbitrary<LockEvent | { readonly type: 'advance'; readonly ms: number }> = fc.oneof(
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
      output: [{ name: MINE, data: '{"lockId":"id-1"}', ephemeralOwner: '0x1' }],
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
    output: { node: MINE, listing: ahead < 0 ? E.left(failure('CONNECTION_LOSS')) : E.right(listing(ahead)) },
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

const arbInput = fc.record({
  kind: fc.constantFrom('exclusive' as const, 'read' as const),
  maxHolders: fc.integer({ min: 1, max: 3 }),
  failImmediate: fc.boolean(),
  timeoutMs: fc.constantFrom(0, 100, 2500),
});

const comparable = (snapshot: { value: unknown; status: string; context: object }) => {
  const { port, ...context } = snapshot.context as { port: unknown };
  void port;
  return { value: snapshot.value, status: snapshot.status, context };
};

describe('the chart runner', () => {
  test.prop([arbInput, fc.array(arbEvent, { maxLength: 40 })], { numRuns: 400 })(
    'steps like xstate’s actor through any sequence of events',
    (options, events) => {
      const engines = (['xstate', 'runner'] as const).map((engine) => {
        const calls: Call[] = [];
        const clock = new SimulatedClock();
        const input: LockMachineInput = {
          ...options,
          parentPath: '/locks/app/job',
          lockId: 'id-1',
          nodeData: '{"lockId":"id-1"}',
          port: recordingPort(calls),
        };
        const actor =
          engine === 'xstate'
            ? createActor(lockMachine, { input, clock })
            : createLockRunner(input, { clock });
        const completed: string[] = [];
        actor.subscribe({ complete: () => completed.push('complete') });
        actor.start();
        return { actor, calls, clock, completed };
      });
      const same = (after: string) => {
        const [reference, runner] = engines.map((e) => ({
          ...comparable(e.actor.getSnapshot()),
          calls: e.calls,
          completed: e.completed,
        }));
        expect(runner, after).toEqual(reference);
      };
      same('start');
      for (const event of events) {
        for (const { actor, clock } of engines) {
          if (event.type === 'advance') clock.increment(event.ms);
          else if (actor.getSnapshot().status === 'active') actor.send(event as never);
        }
        same(JSON.stringify(event, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
      }
    },
  );

  it('refuses a machine with a feature it does not implement', () => {
    const parallel = createMachine({ type: 'parallel', states: { a: {}, b: {} } });
    expect(() => compileChart(parallel)).toThrow(/only atomic, compound and final states/);
    const invoking = createMachine({ initial: 'a', states: { a: { invoke: { src: 'x' } } } });
    expect(() => compileChart(invoking)).toThrow(/invokes actors/);
  });
});
