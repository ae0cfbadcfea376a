import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { assign, cancel, raise, setup } from 'xstate';
import { afterDeletion, decide, type Decision } from '../decide.js';
import { decideReadWrite } from '../decide-read-write.js';
import { fencingToken } from '../fencing.js';
import { DEFAULT_PARENT_NODES, parentHint } from '../parents.js';
import { parseParticipant } from '../participant.js';
import { asZkFailure, type ChildrenListing, type CreatedAndListed, type ZkFailure } from '../port.js';
import { findOwnNode } from '../recovery.js';
import { requestEffect } from './requests.js';
import type {
  LockAttempt,
  LockContext,
  LockError,
  LockEvent,
  LockMachineInput,
  LockRequest,
  LockTag,
  Outcome,
  RequestEffect,
  RequestName,
  WatchEffect,
} from './types.js';
import { watchEffect } from './watch.js';

/**
 * The lock recipe as a pure machine: one snapshot of it is one acquisition attempt of one lock
 * node. Stepped with xstate's `initialTransition` / `transition`; the actions those return are the
 * attempt's effects as data (requests, the watch, the session subscription, timers), which a shell
 * executes (`LockEffects`). The uncontended path is exactly three ZooKeeper requests in two round
 * trips: createSequentialAndList (the create and the listing sent back to back; Held) → remove.
 * See docs/state-machine.md for the diagram, events and context.
 */

/** How long to wait for `CONNECTION.RECONNECTED` before retrying a request that hit a connection loss. */
export const RETRY_DELAY_MS = 1000;
/**
 * Creates one attempt may see answered NO_NODE (the parent deleted under us) before it gives up
 * instead of creating the parents again.
 */
export const MAX_CREATE_ATTEMPTS = 5;

const LOCK_TIMEOUT_ID = 'lockTimeout';

/** The failure a `FAILED.*` or `WATCH.FAILED` event carries. */
const failureOf = (event: unknown): ZkFailure => asZkFailure((event as { failure?: unknown }).failure);

/** The request's fate is unknown (it may have been applied): retry after a reconnect. */
const isConnectionLoss = (event: unknown): boolean => {
  const code = failureOf(event).code;
  return code === 'CONNECTION_LOSS' || code === 'OPERATION_TIMEOUT';
};

const decideFor = (attempt: LockAttempt, children: ReadonlyArray<string>, mine: string): Decision =>
  attempt.kind === 'exclusive' ? decide(children, mine, attempt.maxHolders) : decideReadWrite(children, mine);

/** Our node, as `assign` fields, from its name. */
const nodeFields = (context: LockContext, node: string) => ({
  node,
  nodePath: `${context.attempt.parentPath}/${node}`,
  sequence: O.toUndefined(O.map((p: { sequence: number }) => p.sequence)(parseParticipant(node))),
  nodeUnknown: false,
});

/**
 * The decision a listing gives our node, and the fencing token when it is Held, as `assign` fields.
 * Takes the node's fields apart from the context, so that no caller copies the context to pass them.
 */
const listingFields = (
  attempt: LockAttempt,
  { node, sequence }: Pick<LockContext, 'node' | 'sequence'>,
  listing: ChildrenListing,
) => {
  const decision = decideFor(attempt, listing.children, node ?? '');
  return {
    decision,
    fencingToken: heldToken(decision, listing.parentCzxid, sequence),
    parentCzxid: listing.parentCzxid,
  };
};

const heldToken = (
  decision: Decision | undefined,
  parentCzxid: bigint | undefined,
  sequence: number | undefined,
): bigint | undefined =>
  decision?._tag === 'Held' && parentCzxid !== undefined && sequence !== undefined
    ? fencingToken(parentCzxid, sequence)
    : undefined;

/** The child a `WATCH.FIRED` event says was deleted; `undefined` when the watch lapsed. */
const deletedOf = (event: LockEvent): string | undefined =>
  event.type === 'WATCH.FIRED' ? event.deleted : undefined;

/** A countdown's decision after a `WATCH.FIRED` event; `undefined`: list again. */
const countedDown = (context: LockContext, event: LockEvent): Decision | undefined => {
  const deleted = deletedOf(event);
  return deleted === undefined
    ? undefined
    : afterDeletion(context.decision, deleted, context.attempt.maxHolders);
};

/** The answer a `DONE.createSequentialAndList` event carries. */
const createdAnswer = (event: unknown): CreatedAndListed => (event as { output: CreatedAndListed }).output;

const notListed = { decision: undefined, fencingToken: undefined, parentCzxid: undefined };

/**
 * Our node and, when the listing sent behind the create came back, its decision, as `assign`
 * fields. The node is ours whatever became of the listing; without one, `evaluating` lists again.
 * One literal with every field: a spread that adds keys makes a new hidden class every time.
 */
const createdFields = (context: LockContext, answer: CreatedAndListed) => {
  const node = nodeFields(context, answer.node);
  const listed = E.isRight(answer.listing)
    ? listingFields(context.attempt, node, answer.listing.right)
    : notListed;
  return {
    node: node.node,
    nodePath: node.nodePath,
    sequence: node.sequence,
    nodeUnknown: node.nodeUnknown,
    decision: listed.decision,
    fencingToken: listed.fencingToken,
    parentCzxid: listed.parentCzxid,
  };
};

/** Our node found again among the children after a lost create reply, as `assign` fields. */
const recoveredFields = (context: LockContext, event: LockEvent) => {
  const children = event.type === 'DONE.listChildrenWithOwners' ? event.output : [];
  const own = findOwnNode(children, context.session?.sessionId ?? '', context.attempt.lockId);
  return O.isSome(own) ? nodeFields(context, own.value) : { nodeUnknown: false };
};

/**
 * The entry action of a state that sends `name` and waits for its answer: the request, with all
 * the shell needs to send it, is the action's params.
 */
const request = (name: RequestName) =>
  ({
    type: 'request',
    params: ({ context }: { context: LockContext }) => requestEffect(name, context),
  }) as const;

/**
 * The implementation of every effect action: none. The machine only names its effects; the shell
 * executes the actions `transition` returns, by type and params (`LockEffects`).
 */
const effect =
  <P = undefined>() =>
  (_: unknown, _params: P): void =>
    undefined;

/**
 * The context while no attempt is given: xstate computes a machine's initial snapshot without
 * input whenever it makes an actor of it (`initialTransition` and `transition` make a throwaway
 * one, `lock-steps.ts` asks for one), so the context factory must be total. Nothing ever runs on
 * this context.
 */
const NO_ATTEMPT: LockAttempt = {
  parentPath: '',
  kind: 'exclusive',
  maxHolders: 1,
  failImmediate: false,
  timeoutMs: 0,
  lockId: '',
  nodeData: '',
  parent: parentHint(DEFAULT_PARENT_NODES, false),
};

const initialContext = (input: LockMachineInput | undefined): LockContext => ({
  attempt: input?.attempt ?? NO_ATTEMPT,
  session: input?.session,
  node: undefined,
  nodePath: undefined,
  sequence: undefined,
  fencingToken: undefined,
  parentCzxid: undefined,
  nodeUnknown: false,
  decision: undefined,
  attempts: 0,
  lostInMs: 0,
  outcome: undefined,
  error: undefined,
});

export const lockMachineSetup = setup({
  types: {
    context: {} as LockContext,
    events: {} as LockEvent,
    input: {} as LockMachineInput,
    tags: {} as LockTag,
  },
  actions: {
    /** Sends a request; its answer comes back as `DONE.<request>` or `FAILED.<request>`. */
    request: effect<RequestEffect>(),
    /** Arms the deletion watches `decide` named; `WATCH.FIRED` or `WATCH.FAILED` follows. */
    armWatch: effect<WatchEffect>(),
    /** Lets go of the watch: no `WATCH.*` event after this. */
    disarmWatch: effect(),
    /** From here on, the session's events reach the machine as `CONNECTION.*` events. */
    subscribeConnection: effect(),
    /** No `CONNECTION.*` event after this. */
    unsubscribeConnection: effect(),
    /** Releases the port's session; entry action of every final state, so it runs exactly once. */
    disconnect: effect(),
    startLockTimeout: raise({ type: 'TIMEOUT' }, { delay: 'lockTimeout', id: LOCK_TIMEOUT_ID }),
    cancelLockTimeout: cancel(LOCK_TIMEOUT_ID),
    /** One more create answered NO_NODE. */
    countAttempt: assign({ attempts: ({ context }) => context.attempts + 1 }),
    /** The first reason to end wins, except that DESTROY always ends in `destroyed`. */
    requestEnd: assign({
      outcome: ({ context }, params: { outcome: Outcome }) =>
        params.outcome === 'destroyed' || context.outcome === undefined ? params.outcome : context.outcome,
    }),
    fail: assign((_, params: { error: LockError }) => ({ outcome: 'failed' as const, error: params.error })),
    /** Our node vanished: the attempt fails, and there is nothing left to remove. */
    failVanished: assign(({ context }) => ({
      outcome: 'failed' as const,
      error: { _tag: 'NodeVanished' as const, node: context.node ?? '' },
      node: undefined,
      nodePath: undefined,
      sequence: undefined,
      nodeUnknown: false,
    })),
    failRequest: assign(({ event }, params: { request: LockRequest }) => ({
      outcome: 'failed' as const,
      error: { _tag: 'RequestFailed' as const, request: params.request, failure: failureOf(event) },
    })),
    loseSession: assign({
      error: (_, params: { reason: 'expired' | 'timeout' | 'closed' }): LockError => ({
        _tag: 'SessionLost',
        reason: params.reason,
      }),
    }),
    loseSessionBy: assign({
      error: ({ event }): LockError => ({
        _tag: 'SessionLost',
        reason: event.type === 'CONNECTION.LOST' ? event.reason : 'expired',
      }),
    }),
    assignGivenSession: assign({
      session: ({ context, event }) => (event.type === 'ACQUIRE' ? event.session : context.session),
    }),
    assignConnected: assign({
      session: ({ context, event }) => (event.type === 'DONE.connect' ? event.output : context.session),
    }),
    assignCreated: assign(({ context, event }) => createdFields(context, createdAnswer(event))),
    assignListed: assign(({ context, event }) =>
      event.type === 'DONE.listChildren' ? listingFields(context.attempt, context, event.output) : {},
    ),
    assignRecovered: assign(({ context, event }) => recoveredFields(context, event)),
    markNodeUnknown: assign({ nodeUnknown: true }),
    forgetUnknownNode: assign({ nodeUnknown: false }),
    markMissing: assign({ decision: { _tag: 'Missing' } as Decision }),
    /** A countdown took one deletion: the rest of the wait, or Held with its fencing token. */
    countDeletion: assign(({ context, event }) => {
      const decision = countedDown(context, event) ?? context.decision;
      return { decision, fencingToken: heldToken(decision, context.parentCzxid, context.sequence) };
    }),
    rememberLostIn: assign({
      lostInMs: ({ context, event }) =>
        event.type === 'CONNECTION.SUSPENDED' ? event.lostInMs : context.lostInMs,
    }),
  },
  guards: {
    connectionLoss: ({ event }) => isConnectionLoss(event),
    endRequestedOnConnectionLoss: ({ context, event }) =>
      context.outcome !== undefined && isConnectionLoss(event),
    sessionExpired: ({ event }) => failureOf(event).code === 'SESSION_EXPIRED',
    noNode: ({ event }) => failureOf(event).code === 'NO_NODE',
    mayCreateAgain: ({ context }) => context.attempts < MAX_CREATE_ATTEMPTS,
    endRequested: ({ context }) => context.outcome !== undefined,
    hasNode: ({ context }) => context.node !== undefined,
    /** The create's answer (a `DONE.createSequentialAndList` event) decides Held. */
    createdHeld: ({ context, event }) => {
      const { node, listing } = createdAnswer(event);
      return E.isRight(listing) && decideFor(context.attempt, listing.right.children, node)._tag === 'Held';
    },
    /** The create's answer carries a listing (decided, but not Held). */
    createdListed: ({ event }) => E.isRight(createdAnswer(event).listing),
    nodeUnknown: ({ context }) => context.nodeUnknown && context.session !== undefined,
    decidedHeld: ({ context }) => context.decision?._tag === 'Held',
    countedDownToHeld: ({ context, event }) => countedDown(context, event)?._tag === 'Held',
    countingDown: ({ context, event }) => countedDown(context, event) !== undefined,
    decidedMissing: ({ context }) => context.decision?._tag === 'Missing',
    failImmediate: ({ context }) => context.attempt.failImmediate,
    hasTimeout: ({ context }) => context.attempt.timeoutMs > 0,
    /** The attempt knows its session (from its input, or from `ACQUIRE`): on to creating its node. */
    sessionKnown: ({ context }) => context.session !== undefined,
    sessionKnownWithTimeout: ({ context }) => context.session !== undefined && context.attempt.timeoutMs > 0,
    sessionGiven: ({ event }) => event.type === 'ACQUIRE' && event.session !== undefined,
    outcomeIs: ({ context }, params: { outcome: Outcome }) => context.outcome === params.outcome,
  },
  delays: {
    lockTimeout: ({ context }) => context.attempt.timeoutMs,
    retryDelay: RETRY_DELAY_MS,
    lostDelay: ({ context }) => context.lostInMs,
  },
});

const endOn = {
  TIMEOUT: { target: '#lock.releasing', actions: { type: 'requestEnd', params: { outcome: 'timedOut' } } },
  CANCEL: { target: '#lock.releasing', actions: { type: 'requestEnd', params: { outcome: 'cancelled' } } },
  DESTROY: { target: '#lock.releasing', actions: { type: 'requestEnd', params: { outcome: 'destroyed' } } },
} as const;

/** While a create is in flight its answer must not be dropped (it may name a new node): remember the end instead. */
const deferEndOn = {
  TIMEOUT: { actions: { type: 'requestEnd', params: { outcome: 'timedOut' } } },
  CANCEL: { actions: { type: 'requestEnd', params: { outcome: 'cancelled' } } },
  DESTROY: { actions: { type: 'requestEnd', params: { outcome: 'destroyed' } } },
} as const;

const lostOn = {
  'CONNECTION.LOST': { target: '#lock.lost', actions: 'loseSessionBy' },
} as const;

const expired = { guard: 'sessionExpired', target: '#lock.lost', actions: 'loseSessionBy' } as const;

const awaitingConnection = (retry: string) => ({
  on: { 'CONNECTION.RECONNECTED': retry },
  after: { retryDelay: retry },
});

/** A final state: the attempt ended as `outcome`, and the shell lets go of the session. */
const final = (outcome: Outcome | 'lost') =>
  ({
    type: 'final',
    tags: outcome,
    entry: ['unsubscribeConnection', 'disconnect'],
  }) as const;

/**
 * From `releasing` to the final state `context.outcome` names; without one, `released`. A release
 * records no reason: it is the one way into `releasing` that no other reason to end has set.
 */
const toOutcome = [
  ...(['failed', 'timedOut', 'alreadyLocked', 'cancelled', 'destroyed'] as const).map((outcome) => ({
    guard: { type: 'outcomeIs', params: { outcome } } as const,
    target: `#lock.${outcome}`,
  })),
  { target: '#lock.released' },
] as const;

export const lockMachine = lockMachineSetup.createMachine({
  id: 'lock',
  initial: 'idle',
  // Total: see NO_ATTEMPT. xstate types `input` as given, but calls this without one.
  context: ({ input }) => initialContext(input as LockMachineInput | undefined),
  states: {
    idle: {
      tags: ['acquiring', 'busy'],
      // An attempt whose session is known (from its input, or from ACQUIRE) starts creating its
      // node at once: the shell's first step is the create, not a separate ACQUIRE.
      always: [
        {
          guard: 'sessionKnownWithTimeout',
          target: 'creating',
          actions: ['subscribeConnection', 'startLockTimeout'],
        },
        { guard: 'sessionKnown', target: 'creating', actions: 'subscribeConnection' },
      ],
      on: {
        ACQUIRE: [
          { guard: 'sessionGiven', actions: 'assignGivenSession' },
          { guard: 'hasTimeout', target: 'connecting', actions: 'startLockTimeout' },
          'connecting',
        ],
        // An attempt that ends before it started (it was waiting for its turn on a busy session):
        // given up, or its lock timeout elapsed first (the shell's timer then, not the machine's).
        CANCEL: 'cancelled',
        TIMEOUT: 'timedOut',
        DESTROY: 'destroyed',
      },
    },
    connecting: {
      tags: ['acquiring', 'busy'],
      entry: request('connect'),
      on: {
        ...endOn,
        'DONE.connect': { target: 'creating', actions: ['assignConnected', 'subscribeConnection'] },
        'FAILED.connect': {
          target: 'releasing',
          actions: { type: 'failRequest', params: { request: 'connect' } },
        },
      },
    },
    creating: {
      tags: 'acquiring',
      initial: 'creatingNode',
      on: { ...endOn, ...lostOn },
      states: {
        creatingNode: {
          tags: 'busy',
          entry: request('createSequentialAndList'),
          on: {
            ...deferEndOn,
            // Routed on the answer itself rather than through an eventless state after it: the
            // uncontended acquisition takes one machine step from the create's answer to `held`.
            'DONE.createSequentialAndList': [
              { guard: 'endRequested', target: '#lock.releasing', actions: 'assignCreated' },
              { guard: 'createdHeld', target: '#lock.held', actions: 'assignCreated' },
              { guard: 'createdListed', target: '#lock.evaluating.decided', actions: 'assignCreated' },
              { target: '#lock.evaluating', actions: 'assignCreated' },
            ],
            'FAILED.createSequentialAndList': [
              expired,
              // Ending anyway: `releasing` finds the node the lost reply may have named.
              {
                guard: 'endRequestedOnConnectionLoss',
                target: '#lock.releasing',
                actions: 'markNodeUnknown',
              },
              { guard: 'connectionLoss', target: 'awaitingConnection', actions: 'markNodeUnknown' },
              { guard: 'endRequested', target: '#lock.releasing' },
              { guard: 'noNode', target: 'checkingAttempts', actions: 'countAttempt' },
              {
                target: '#lock.releasing',
                actions: { type: 'failRequest', params: { request: 'createSequential' } },
              },
            ],
          },
        },
        checkingAttempts: {
          tags: 'busy',
          always: [
            { guard: 'mayCreateAgain', target: 'creatingParents' },
            {
              target: '#lock.releasing',
              actions: {
                type: 'fail',
                params: ({ context }) => ({
                  error: { _tag: 'ParentKeptVanishing', attempts: context.attempts },
                }),
              },
            },
          ],
        },
        creatingParents: {
          tags: 'busy',
          entry: request('createParents'),
          on: {
            'DONE.createParents': 'creatingNode',
            'FAILED.createParents': [
              expired,
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              {
                target: '#lock.releasing',
                actions: { type: 'failRequest', params: { request: 'createParents' } },
              },
            ],
          },
        },
        awaitingConnection: awaitingConnection('recovering'),
        recovering: {
          tags: 'busy',
          entry: request('listChildrenWithOwners'),
          on: {
            'DONE.listChildrenWithOwners': { target: 'recovered', actions: 'assignRecovered' },
            'FAILED.listChildrenWithOwners': [
              expired,
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              { guard: 'noNode', target: 'creatingNode', actions: 'forgetUnknownNode' },
              {
                target: '#lock.releasing',
                actions: { type: 'failRequest', params: { request: 'listChildrenWithOwners' } },
              },
            ],
          },
        },
        recovered: {
          tags: 'busy',
          always: [{ guard: 'hasNode', target: '#lock.evaluating' }, { target: 'creatingNode' }],
        },
      },
    },
    evaluating: {
      tags: 'acquiring',
      initial: 'listing',
      on: { ...endOn, ...lostOn },
      states: {
        listing: {
          tags: 'busy',
          entry: request('listChildren'),
          on: {
            'DONE.listChildren': { target: 'decided', actions: 'assignListed' },
            'FAILED.listChildren': [
              expired,
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              // The parent is gone, so our node (its child) is gone too.
              { guard: 'noNode', target: 'decided', actions: 'markMissing' },
              {
                target: '#lock.releasing',
                actions: { type: 'failRequest', params: { request: 'listChildren' } },
              },
            ],
          },
        },
        awaitingConnection: awaitingConnection('listing'),
        decided: {
          tags: 'busy',
          always: [
            { guard: 'decidedHeld', target: '#lock.held' },
            { guard: 'decidedMissing', target: '#lock.releasing', actions: 'failVanished' },
            {
              guard: 'failImmediate',
              target: '#lock.releasing',
              actions: { type: 'requestEnd', params: { outcome: 'alreadyLocked' } },
            },
            { target: '#lock.waiting' },
          ],
        },
      },
    },
    waiting: {
      tags: 'acquiring',
      initial: 'watching',
      on: {
        ...endOn,
        ...lostOn,
        'WATCH.FIRED': 'evaluating',
        'WATCH.FAILED': [
          expired,
          { guard: 'connectionLoss', target: 'evaluating.awaitingConnection' },
          { target: 'releasing', actions: { type: 'failRequest', params: { request: 'watchDeletion' } } },
        ],
      },
      entry: { type: 'armWatch', params: ({ context }) => watchEffect(context) },
      exit: 'disarmWatch',
      states: {
        watching: {
          on: {
            'CONNECTION.SUSPENDED': { target: 'suspended', actions: 'rememberLostIn' },
            // A countdown takes deletions here without listing again; any other firing, and any
            // while suspended (the hold must start live), goes to `evaluating` (the parent's).
            'WATCH.FIRED': [
              { guard: 'countedDownToHeld', target: '#lock.held', actions: 'countDeletion' },
              { guard: 'countingDown', actions: 'countDeletion' },
            ],
          },
        },
        suspended: {
          tags: 'suspended',
          // Watches are re-armed by the client after a reconnect, but a deletion may have been
          // missed in between: list again.
          on: { 'CONNECTION.RECONNECTED': '#lock.evaluating' },
          after: {
            lostDelay: {
              target: '#lock.lost',
              actions: { type: 'loseSession', params: { reason: 'timeout' } },
            },
          },
        },
      },
    },
    held: {
      tags: 'held',
      initial: 'live',
      entry: 'cancelLockTimeout',
      on: {
        ...lostOn,
        // A held lock always knows its node: straight to removing it (`releasing.checking` would
        // take an eventless step to find that out). A release needs no reason recorded (`toOutcome`).
        RELEASE: 'releasing.removing',
        DESTROY: {
          target: 'releasing.removing',
          actions: { type: 'requestEnd', params: { outcome: 'destroyed' } },
        },
      },
      states: {
        live: {
          on: { 'CONNECTION.SUSPENDED': { target: 'suspended', actions: 'rememberLostIn' } },
        },
        suspended: {
          tags: 'suspended',
          on: { 'CONNECTION.RECONNECTED': 'live' },
          after: {
            lostDelay: {
              target: '#lock.lost',
              actions: { type: 'loseSession', params: { reason: 'timeout' } },
            },
          },
        },
      },
    },
    releasing: {
      tags: 'releasing',
      initial: 'checking',
      on: {
        // The session is gone and with it our ephemeral node: nothing left to remove.
        'CONNECTION.LOST': '.done',
        DESTROY: { actions: { type: 'requestEnd', params: { outcome: 'destroyed' } } },
      },
      states: {
        checking: {
          tags: 'busy',
          always: [
            { guard: 'hasNode', target: 'removing' },
            { guard: 'nodeUnknown', target: 'recovering' },
            { target: 'done' },
          ],
        },
        removing: {
          tags: 'busy',
          entry: request('remove'),
          on: {
            // Straight to the outcome rather than through `done` and the parent's done event: a
            // release takes one machine step from the delete's answer to its final state.
            'DONE.remove': toOutcome,
            'FAILED.remove': [
              { guard: 'sessionExpired', target: 'done' },
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              { target: 'done', actions: { type: 'failRequest', params: { request: 'remove' } } },
            ],
          },
        },
        awaitingConnection: awaitingConnection('checking'),
        recovering: {
          tags: 'busy',
          entry: request('listChildrenWithOwners'),
          on: {
            'DONE.listChildrenWithOwners': { target: 'checking', actions: 'assignRecovered' },
            'FAILED.listChildrenWithOwners': [
              { guard: 'sessionExpired', target: 'done' },
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              { guard: 'noNode', target: 'done' },
              {
                target: 'done',
                actions: { type: 'failRequest', params: { request: 'listChildrenWithOwners' } },
              },
            ],
          },
        },
        done: { tags: 'busy', type: 'final' },
      },
      onDone: toOutcome,
    },
    released: final('released'),
    timedOut: final('timedOut'),
    alreadyLocked: final('alreadyLocked'),
    cancelled: final('cancelled'),
    lost: final('lost'),
    failed: final('failed'),
    destroyed: final('destroyed'),
  },
});
