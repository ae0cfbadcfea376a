import * as E from 'fp-ts/lib/Either.js';
import {
  MAX_CREATE_ATTEMPTS,
  type ChildrenListing,
  type ChildWithOwner,
  type CreatedAndListed,
  type LockEvent,
  type LockSnapshot,
  type RequestName,
  type SessionInfo,
  type ZkErrorCode,
  type ZkFailure,
} from '@zk-lock/core';
import type { PortMethod } from './fake-zookeeper.js';

/**
 * The world as @xstate/graph sees it: for a snapshot, every event that can happen next, including
 * the answers of the request that is waiting (`DONE.<request>` / `FAILED.<request>`) and the
 * machine's delays (`xstate.after.<delay>.<state>`).
 */

export const PARENT = '/locks/model/key';
/** The first session of a fresh FakeZooKeeper; the competitor's session is the second. */
export const SESSION: SessionInfo = { sessionId: '0000000000000001', sessionTimeoutMs: 15000 };
export const COMPETITOR = 'lock-0000000000';
/** Our first node: the competitor took sequence 0. */
export const FIRST_NODE = 'lock-0000000001';
export const LOST_IN_MS = 300;

/** Model events: the machine's own plus the delay events the graph must pass itself. */
export type ModelEvent = LockEvent | { readonly type: `xstate.after.${string}` };

/** A request the machine sends on entering `state`, and the answers the model gives it. */
interface Invocation {
  readonly id: string;
  readonly method: RequestName & PortMethod;
  readonly state: Parameters<LockSnapshot['matches']>[0];
  readonly outputs: (s: LockSnapshot) => ReadonlyArray<unknown>;
  readonly errors: ReadonlyArray<ZkErrorCode>;
}

const failure = (code: ZkErrorCode): ZkFailure => ({ _tag: 'ZkFailure', code, message: `injected ${code}` });
const listing = (children: string[]): ChildrenListing => ({ children, parentCzxid: 1n });
const created = (answer: E.Either<ZkFailure, ChildrenListing>): CreatedAndListed => ({
  node: FIRST_NODE,
  listing: answer,
});
const own = (s: LockSnapshot): ChildWithOwner[] => [
  { name: FIRST_NODE, data: s.context.attempt.nodeData, ephemeralOwner: SESSION.sessionId },
];
/** Our node can only be found when a create's reply was lost (the machine then marks it unknown). */
const recoveryAnswers = (s: LockSnapshot): ReadonlyArray<unknown> =>
  s.context.nodeUnknown ? [own(s), []] : [[]];
const mine = (s: LockSnapshot): string => s.context.node ?? FIRST_NODE;

export const invocations: ReadonlyArray<Invocation> = [
  {
    id: 'connect',
    method: 'connect',
    state: 'connecting',
    outputs: () => [SESSION],
    errors: ['AUTH_FAILED'],
  },
  {
    id: 'createSequentialAndList',
    method: 'createSequentialAndList',
    state: { creating: 'creatingNode' },
    // Held, Wait (the competitor precedes us), and a listing that failed after the create.
    outputs: () => [
      created(E.right(listing([FIRST_NODE]))),
      created(E.right(listing([COMPETITOR, FIRST_NODE]))),
      created(E.left(failure('CONNECTION_LOSS'))),
    ],
    errors: ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_NODE', 'NO_AUTH'],
  },
  {
    id: 'createParents',
    method: 'createParents',
    state: { creating: 'creatingParents' },
    outputs: () => [undefined],
    errors: ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_AUTH'],
  },
  {
    id: 'recoverCreate',
    method: 'listChildrenWithOwners',
    state: { creating: 'recovering' },
    outputs: recoveryAnswers,
    errors: ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_NODE', 'NO_AUTH'],
  },
  {
    id: 'listChildren',
    method: 'listChildren',
    state: { evaluating: 'listing' },
    // Held, Wait (the competitor precedes us), Missing (our node is gone).
    outputs: (s) => [listing([mine(s)]), listing([COMPETITOR, mine(s)]), listing([COMPETITOR])],
    errors: ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_NODE', 'NO_AUTH'],
  },
  {
    id: 'remove',
    method: 'remove',
    state: { releasing: 'removing' },
    outputs: () => [undefined],
    errors: ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_AUTH'],
  },
  {
    id: 'recoverRelease',
    method: 'listChildrenWithOwners',
    state: { releasing: 'recovering' },
    outputs: recoveryAnswers,
    errors: ['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_NODE', 'NO_AUTH'],
  },
];

const delays: ReadonlyArray<{
  readonly state: Parameters<LockSnapshot['matches']>[0];
  readonly type: string;
}> = [
  {
    state: { creating: 'awaitingConnection' },
    type: 'xstate.after.retryDelay.lock.creating.awaitingConnection',
  },
  {
    state: { evaluating: 'awaitingConnection' },
    type: 'xstate.after.retryDelay.lock.evaluating.awaitingConnection',
  },
  {
    state: { releasing: 'awaitingConnection' },
    type: 'xstate.after.retryDelay.lock.releasing.awaitingConnection',
  },
  { state: { waiting: 'suspended' }, type: 'xstate.after.lostDelay.lock.waiting.suspended' },
  { state: { held: 'suspended' }, type: 'xstate.after.lostDelay.lock.held.suspended' },
];

export const commands: ReadonlyArray<LockEvent> = [
  { type: 'ACQUIRE' },
  // A shell whose port is connected already: `connecting` is skipped.
  { type: 'ACQUIRE', session: SESSION },
  { type: 'RELEASE' },
  { type: 'CANCEL' },
  { type: 'DESTROY' },
  { type: 'TIMEOUT' },
];

const connectionEvents: ReadonlyArray<ModelEvent> = [
  { type: 'CONNECTION.SUSPENDED', lostInMs: LOST_IN_MS },
  { type: 'CONNECTION.RECONNECTED' },
  { type: 'CONNECTION.LOST', reason: 'expired' },
];

export const nextEvents = (s: LockSnapshot): ReadonlyArray<ModelEvent> => {
  if (s.status === 'done') return [];
  const events: ModelEvent[] = [...commands];
  // The machine listens to the session once connected.
  if (s.context.session !== undefined) events.push(...connectionEvents);
  for (const inv of invocations) {
    if (!s.matches(inv.state as never)) continue;
    for (const output of inv.outputs(s)) events.push({ type: `DONE.${inv.method}`, output } as ModelEvent);
    for (const code of inv.errors)
      events.push({ type: `FAILED.${inv.method}`, failure: failure(code) } as ModelEvent);
  }
  if (s.matches('waiting'))
    events.push(
      // The competitor is deleted (we count down to Held while live), or the watch lapsed.
      { type: 'WATCH.FIRED', deleted: COMPETITOR },
      { type: 'WATCH.FIRED' },
      ...(['CONNECTION_LOSS', 'SESSION_EXPIRED', 'NO_AUTH'] as const).map((code): ModelEvent => ({
        type: 'WATCH.FAILED',
        failure: failure(code),
      })),
    );
  for (const d of delays)
    if (s.matches(d.state as never)) events.push({ type: d.type as `xstate.after.${string}` });
  return events;
};

/** What distinguishes two model states: the state value and the context the guards read. */
export const serialize = (s: LockSnapshot): string =>
  JSON.stringify({
    value: s.value,
    status: s.status,
    outcome: s.context.outcome,
    node: s.context.node !== undefined,
    nodeUnknown: s.context.nodeUnknown,
    decision: s.context.decision?._tag,
    // Only `attempts < MAX_CREATE_ATTEMPTS` matters to the machine.
    attempts: Math.min(s.context.attempts, MAX_CREATE_ATTEMPTS),
    error: s.context.error?._tag,
  });

/** The request an answer event is about (`recoverCreate` and `recoverRelease` share one). */
export const invocationOf = (type: string): Invocation | undefined =>
  invocations.find((i) => type === `DONE.${i.method}` || type === `FAILED.${i.method}`);
