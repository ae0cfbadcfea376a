import { getShortestPaths, getSimplePaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import * as E from 'fp-ts/lib/Either.js';
import {
  decide,
  lockMachine,
  type ChildrenListing,
  type CreatedAndListed,
  type LockSnapshot,
  type ZkErrorCode,
} from '@zk-lock/core';
import { FakeZooKeeper } from './support/fake-zookeeper.js';
import { gatedPort } from './support/gated-port.js';
import {
  COMPETITOR,
  invocationOf,
  LOST_IN_MS,
  nextEvents,
  PARENT,
  serialize,
  SESSION,
  commands,
  type ModelEvent,
} from './support/model.js';
import { flush, lockActor, lockInput, type AttemptInput } from './support/run-lock.js';

/**
 * Model-based tests: @xstate/graph enumerates paths through the machine (shortest paths to every
 * model state, and simple paths up to a bound); each path is replayed on the engine the shells run
 * (`LockEngine`: xstate's `transition` and the action executor `LockEffects`) over the in-memory
 * ZooKeeper and a simulated clock, with every request's fate decided by the path. At each step the
 * attempt must be where the model says, and the invariants must hold.
 */

const stringifyEvent = (event: ModelEvent): string =>
  JSON.stringify(event, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

type Path = {
  steps: ReadonlyArray<{ event: ModelEvent | { readonly type: 'xstate.init' }; state: LockSnapshot }>;
};

const isRecoveryAnswer = (event: ModelEvent): 'found' | 'absent' | undefined => {
  const inv = invocationOf(event.type);
  if (inv?.method !== 'listChildrenWithOwners') return undefined;
  if ('output' in event) return (event.output as unknown[]).length > 0 ? 'found' : 'absent';
  return 'failure' in event && event.failure.code === 'NO_NODE' ? 'absent' : undefined;
};

/** A create whose reply is lost took effect exactly when the next recovery in the path finds the node. */
const appliedLater = (rest: Path['steps']): boolean => {
  for (const { event } of rest) {
    if (event.type === 'xstate.init') continue;
    const answer = isRecoveryAnswer(event);
    if (answer !== undefined) return answer === 'found';
  }
  return false;
};

const replay = async (path: Path, { attempt, session: known }: ModelInput): Promise<void> => {
  const zk = new FakeZooKeeper();
  const session = zk.session();
  const competitor = zk.session();
  zk.mkdirp(PARENT);
  zk.createSequential(PARENT, 'lock-', 'competitor', competitor.id);
  const gated = gatedPort(session.port({ ignoreConnectionState: true }));
  const actor = lockActor(gated.port, attempt, new SimulatedClock()).start(known);
  const ours = () =>
    zk.children(PARENT).filter((n) => zk.ownerOf(`${PARENT}/${n}`).ephemeralOwner === session.id);
  const at = (i: number) => `step ${i} of ${path.steps.map((s) => s.event.type).join(' → ')}`;

  for (let i = 0; i < path.steps.length; i++) {
    const { event, state } = path.steps[i]!;
    const node = actor.getSnapshot().context.node;
    const inv = invocationOf(event.type);
    if (event.type === 'xstate.init') continue;
    if (inv !== undefined) {
      const call = gated.next(inv.method);
      if ('output' in event) {
        // The store takes the shape the listing in the model's answer describes.
        const alignCompetitor = (children: ReadonlyArray<string>): void => {
          const competitorPath = `${PARENT}/${COMPETITOR}`;
          if (children.includes(COMPETITOR)) {
            if (!zk.exists(competitorPath)) zk.put(competitorPath, 'competitor', competitor.id);
          } else zk.remove(competitorPath);
        };
        if (inv.id === 'listChildren') {
          const children = (event.output as ChildrenListing).children;
          alignCompetitor(children);
          if (node !== undefined && children.length === 1 && children[0] === COMPETITOR)
            zk.remove(`${PARENT}/${node}`);
        }
        if (inv.id === 'createSequentialAndList') {
          const { listing } = event.output as CreatedAndListed;
          if (E.isRight(listing)) alignCompetitor(listing.right.children);
          else session.inject('listChildren', { code: listing.left.code });
        }
        call.perform();
      } else {
        const code = (event as { failure: { code: ZkErrorCode } }).failure.code;
        if (code === 'SESSION_EXPIRED') zk.dropEphemerals(session.id);
        if (code === 'NO_NODE' && inv.id === 'listChildren') zk.removeTree(PARENT);
        call.fail(
          code,
          code === 'CONNECTION_LOSS' &&
            inv.id === 'createSequentialAndList' &&
            appliedLater(path.steps.slice(i + 1)),
        );
      }
    } else if (event.type === 'CONNECTION.SUSPENDED') session.suspend(LOST_IN_MS);
    else if (event.type === 'CONNECTION.RECONNECTED') session.reconnect();
    else if (event.type === 'CONNECTION.LOST') session.expire();
    else if (event.type === 'WATCH.FIRED') {
      gated.next('watchDeletion').perform();
      await flush();
      if (event.deleted === undefined) gated.lapseWatch();
      else zk.remove(`${PARENT}/${event.deleted}`);
    } else if (event.type === 'WATCH.FAILED') {
      if (event.failure.code === 'SESSION_EXPIRED') zk.dropEphemerals(session.id);
      gated.next('watchDeletion').fail(event.failure.code);
    } else actor.send(event as never);
    await flush();

    const snapshot = actor.getSnapshot();
    expect(snapshot.value, at(i)).toEqual(state.value);
    if (snapshot.matches('held')) {
      // Held only after a listing decided Held, and the store agrees.
      expect(snapshot.context.decision?._tag, at(i)).toBe('Held');
      expect(decide(zk.children(PARENT), snapshot.context.node ?? '', 1)._tag, at(i)).toBe('Held');
      expect(snapshot.context.fencingToken, at(i)).toBeDefined();
    }
    const done = snapshot.status === 'done';
    expect(session.disconnects, at(i)).toBe(done ? 1 : 0);
    if (done) {
      expect(session.subscribers, at(i)).toBe(0);
      const { error } = snapshot.context;
      // Left to the adapter: our own clock presumed the session lost (the adapter closes it).
      const presumedLost =
        snapshot.value === 'lost' && error?._tag === 'SessionLost' && error.reason === 'timeout';
      // Removal itself failed for good: the node could not be removed.
      const removalFailed =
        snapshot.value === 'failed' &&
        error?._tag === 'RequestFailed' &&
        (error.request === 'remove' || error.request === 'listChildrenWithOwners');
      if (!presumedLost && !removalFailed) expect(ours(), at(i)).toEqual([]);
    }
  }

  const end = actor.getSnapshot();
  if (end.status === 'done') {
    // Final states are terminal: nothing moves them, and the attempt asks for nothing more.
    const requests = session.requests.length;
    for (const event of [...commands, { type: 'CONNECTION.LOST', reason: 'expired' } as const])
      actor.send(event);
    await flush();
    expect(actor.getSnapshot()).toBe(end);
    expect(session.requests).toHaveLength(requests);
    expect(session.disconnects).toBe(1);
  }
};

/** An attempt, and the session when the shell knows it at the start (then it starts creating). */
interface ModelInput {
  readonly attempt: AttemptInput;
  readonly session?: typeof SESSION;
}

const inputs: ReadonlyArray<[string, ModelInput]> = [
  ['waiting allowed', { attempt: lockInput(PARENT, { timeoutMs: 5000 }) }],
  ['failImmediate', { attempt: lockInput(PARENT, { timeoutMs: 5000, failImmediate: true }) }],
  ['started with its session', { attempt: lockInput(PARENT, { timeoutMs: 5000 }), session: SESSION }],
];

type TraversalOptions = NonNullable<Parameters<typeof getShortestPaths<typeof lockMachine>>[1]>;

/** @xstate/graph types events as the machine's own; the model adds invocation and delay events. */
const traversal = (
  input: ModelInput,
  serializeState: (s: LockSnapshot) => string = serialize,
  toState?: (s: LockSnapshot) => boolean,
): TraversalOptions =>
  ({
    // @xstate/graph computes transitions without executing actions: nothing is sent anywhere.
    input,
    events: nextEvents,
    serializeState,
    serializeEvent: stringifyEvent,
    toState,
  }) as unknown as TraversalOptions;

/** Paths depend only on the machine and the input: enumerated once, replayed on every engine. */
const paths = new Map<string, Path[]>();
const memo = (key: string, enumerate: () => Path[]): Path[] => {
  const known = paths.get(key);
  if (known !== undefined) return known;
  const found = enumerate();
  paths.set(key, found);
  return found;
};

/** Simple paths ignore the context the guards do not branch on, so they stay few. */
const coarse = (s: LockSnapshot): string =>
  JSON.stringify([s.value, s.context.outcome, s.context.node !== undefined, s.context.nodeUnknown]);

/** The machine's top-level states. */
const TOP_LEVEL_STATES = [
  'idle',
  'connecting',
  'creating',
  'evaluating',
  'waiting',
  'held',
  'releasing',
  'released',
  'timedOut',
  'alreadyLocked',
  'cancelled',
  'lost',
  'failed',
  'destroyed',
];

/** Where a simple path ends: `waiting`, `held` and every final state. */
const PATH_ENDS = TOP_LEVEL_STATES.filter(
  (state) => !['idle', 'connecting', 'creating', 'evaluating', 'releasing'].includes(state),
);

/** Simple paths of at most this many events are replayed. */
const SIMPLE_PATH_BOUND = 12;

const topLevel = (value: LockSnapshot['value']): string =>
  typeof value === 'string' ? value : (Object.keys(value)[0] ?? '');

describe('the lock machine on its engine', () => {
  describe.each(inputs)('model-based: %s', (_, input) => {
    const shortest = memo(
      `shortest ${JSON.stringify(input)}`,
      () => getShortestPaths(lockMachine, traversal(input)) as unknown as Path[],
    );

    it('reaches every top-level state', () => {
      const reached = new Set(shortest.flatMap((p) => p.steps.map((s) => topLevel(s.state.value))));
      // failImmediate never waits; a waiting attempt never ends alreadyLocked; an attempt that
      // starts with its session never connects.
      const expected = TOP_LEVEL_STATES.filter(
        (state) =>
          state !== (input.attempt.failImmediate ? 'waiting' : 'alreadyLocked') &&
          !(input.session !== undefined && (state === 'idle' || state === 'connecting')),
      );
      for (const state of expected) expect(reached, state).toContain(state);
    });

    it('shortest paths to every model state replay on the fake store with the invariants', async () => {
      for (const path of shortest) await replay(path, input);
      expect(shortest.length).toBeGreaterThan(50);
    });
  });

  describe.each(inputs)(`model-based simple paths (up to ${SIMPLE_PATH_BOUND} events): %s`, (_, input) => {
    const ends = PATH_ENDS;
    const simple = memo(`simple ${JSON.stringify(input)}`, () =>
      (
        getSimplePaths(
          lockMachine,
          traversal(input, coarse, (s) => ends.includes(topLevel(s.value))),
        ) as unknown as Path[]
      ).filter((p) => p.steps.length <= SIMPLE_PATH_BOUND + 1),
    );
    const byEnd = ends.map(
      (end) => [end, simple.filter((p) => topLevel(p.steps.at(-1)!.state.value) === end)] as const,
    );

    it.each(byEnd.filter(([, paths]) => paths.length > 0))(
      'simple paths to %s replay with the invariants',
      async (_end, paths) => {
        for (const path of paths) await replay(path, input);
      },
    );
  });
});
