import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { and, assign, cancel, raise, setup } from 'xstate';
import { afterDeletion, decide, type Decision } from '../decide.js';
import { decideReadWrite } from '../decide-read-write.js';
import { fencingToken } from '../fencing.js';
import { parseParticipant } from '../participant.js';
import { asZkFailure, type ChildrenListing, type CreatedAndListed, type ZkFailure } from '../port.js';
import { findOwnNode } from '../recovery.js';
import { subscribeConnection, unsubscribeConnection } from './connection.js';
import { sendRequest } from './requests.js';
import { armWatch, disarmWatch } from './watch.js';
import type {
  LockContext,
  LockError,
  LockEvent,
  LockMachineInput,
  LockRequest,
  Outcome,
  RequestName,
} from './types.js';

/**
 * One actor of this machine is one acquisition attempt of one lock node. The uncontended path is
 * exactly three ZooKeeper requests in two round trips: createSequentialAndList (the create and the
 * listing sent back to back; Held) → remove.
 * See docs/state-machine.md for the diagram, events and context.
 */

/** How long to wait for `CONNECTION.RECONNECTED` before retrying a request that hit a connection loss. */
export const RETRY_DELAY_MS = 1000;
/**
 * `createSequential` requests one attempt may send; a NO_NODE answer (parent deleted under us)
 * after that many is final instead of creating the parents again.
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

const decideFor = (
  context: Pick<LockContext, 'kind' | 'maxHolders'>,
  children: ReadonlyArray<string>,
  mine: string,
): Decision =>
  context.kind === 'exclusive' ? decide(children, mine, context.maxHolders) : decideReadWrite(children, mine);

/** Our node, as `assign` fields, from its name. */
const nodeFields = (context: LockContext, node: string) => ({
  node,
  nodePath: `${context.parentPath}/${node}`,
  sequence: O.toUndefined(O.map((p: { sequence: number }) => p.sequence)(parseParticipant(node))),
  nodeUnknown: false,
});

/**
 * The decision a listing gives our node, and the fencing token when it is Held, as `assign` fields.
 * Takes the node's fields apart from the context, so that no caller copies the context to pass them.
 */
const listingFields = (
  context: Pick<LockContext, 'kind' | 'maxHolders'>,
  { node, sequence }: Pick<LockContext, 'node' | 'sequence'>,
  listing: ChildrenListing,
) => {
  const decision = decideFor(context, listing.children, node ?? '');
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
  return deleted === undefined ? undefined : afterDeletion(context.decision, deleted, context.maxHolders);
};

const noNode = { node: undefined, nodePath: undefined, sequence: undefined };

/** The answer a `DONE.createSequentialAndList` event carries. */
const createdAnswer = (event: unknown): CreatedAndListed => (event as { output: CreatedAndListed }).output;

const notListed = { decision: undefined, fencingToken: undefined, parentCzxid: undefined };

/**
 * Our node and, when the listing sent behind the create came back, its decision, as `assign`
 * fields. The node is ours whatever became of the listing; without one, `evaluating` lists again.
 *
 * One literal with every field, not `{ ...node, ...listed }`: in V8 (Node 20) an object spread
 * that adds keys to the spread object kept each finished lock actor alive through the next
 * young-generation collections, so every acquisition's actor was promoted to the old generation
 * (about 800 KB per collection in W1; longer pauses, more full collections).
 */
const createdFields = (context: LockContext, answer: CreatedAndListed) => {
  const node = nodeFields(context, answer.node);
  const listed = E.isRight(answer.listing) ? listingFields(context, node, answer.listing.right) : notListed;
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

/** The entry action of a state that sends `name` and waits for its answer. */
const request = (name: RequestName) => ({ type: 'request', params: { request: name } }) as const;

export const lockMachineSetup = setup({
  types: {
    context: {} as LockContext,
    events: {} as LockEvent,
    input: {} as LockMachineInput,
  },
  actions: {
    /** Releases the port's session; entry action of every final state, so it runs exactly once. */
    disconnect: ({ context, self }) => {
      unsubscribeConnection(self);
      // A failed close cannot change the outcome of a final state; `disconnect` is idempotent,
      // so a shell that needs its result awaits `port.disconnect()` itself.
      context.port.disconnect().catch(() => undefined);
    },
    /** Sends a request; its answer comes back as `DONE.<request>` or `FAILED.<request>`. */
    request: ({ context, self }, params: { request: RequestName }) =>
      sendRequest(context, self, params.request),
    /** Arms the deletion watches `decide` named; `WATCH.FIRED` or `WATCH.FAILED` follows. */
    armWatch: ({ context, self }) => armWatch(context, self),
    disarmWatch: ({ self }) => disarmWatch(self),
    startLockTimeout: raise({ type: 'TIMEOUT' }, { delay: 'lockTimeout', id: LOCK_TIMEOUT_ID }),
    cancelLockTimeout: cancel(LOCK_TIMEOUT_ID),
    /** From `connect` on, the session's events reach the machine as `CONNECTION.*` events. */
    subscribeConnection: ({ context, self }) => subscribeConnection(context.port, self),
    countAttempt: assign({ attempts: ({ context }) => context.attempts + 1 }),
    /** The first reason to end wins, except that DESTROY always ends in `destroyed`. */
    requestEnd: assign({
      outcome: ({ context }, params: { outcome: Outcome }) =>
        params.outcome === 'destroyed' || context.outcome === undefined ? params.outcome : context.outcome,
    }),
    fail: assign((_, params: { error: LockError }) => ({ outcome: 'failed' as const, error: params.error })),
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
    assignCreated: assign(({ context, event }) => createdFields(context, createdAnswer(event))),
    markNodeUnknown: assign({ nodeUnknown: true }),
    /** A countdown took one deletion: the rest of the wait, or Held with its fencing token. */
    countDeletion: assign(({ context, event }) => {
      const decision = countedDown(context, event) ?? context.decision;
      return { decision, fencingToken: heldToken(decision, context.parentCzxid, context.sequence) };
    }),
    clearNode: assign({ ...noNode, nodeUnknown: false }),
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
    createdHeld: ({ context, event }) =>
      createdFields(context, createdAnswer(event)).decision?._tag === 'Held',
    /** The create's answer carries a listing (decided, but not Held). */
    createdListed: ({ event }) => E.isRight(createdAnswer(event).listing),
    nodeUnknown: ({ context }) => context.nodeUnknown && context.session !== undefined,
    decidedHeld: ({ context }) => context.decision?._tag === 'Held',
    countedDownToHeld: ({ context, event }) => countedDown(context, event)?._tag === 'Held',
    countingDown: ({ context, event }) => countedDown(context, event) !== undefined,
    decidedMissing: ({ context }) => context.decision?._tag === 'Missing',
    failImmediate: ({ context }) => context.failImmediate,
    hasTimeout: ({ context }) => context.timeoutMs > 0,
    sessionGiven: ({ event }) => event.type === 'ACQUIRE' && event.session !== undefined,
    outcomeIs: ({ context }, params: { outcome: Outcome }) => context.outcome === params.outcome,
  },
  delays: {
    lockTimeout: ({ context }) => context.timeoutMs,
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

const final = { type: 'final', entry: 'disconnect' } as const;

/** From `releasing` to the final state `context.outcome` names (`failed` when none). */
const toOutcome = (actions?: 'clearNode') =>
  [
    ...(['released', 'timedOut', 'alreadyLocked', 'cancelled', 'destroyed'] as const).map((outcome) => ({
      guard: { type: 'outcomeIs', params: { outcome } } as const,
      target: `#lock.${outcome}`,
      actions,
    })),
    { target: '#lock.failed', actions },
  ] as const;

export const lockMachine = lockMachineSetup.createMachine({
  id: 'lock',
  initial: 'idle',
  // Field by field rather than spreading the input: an object literal of fixed shape is one small
  // allocation, a spread followed by more fields costs a new hidden class per field every time.
  context: ({ input }) => ({
    parentPath: input.parentPath,
    kind: input.kind,
    maxHolders: input.maxHolders,
    failImmediate: input.failImmediate,
    timeoutMs: input.timeoutMs,
    lockId: input.lockId,
    nodeData: input.nodeData,
    port: input.port,
    session: undefined,
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
  }),
  states: {
    idle: {
      on: {
        ACQUIRE: [
          {
            guard: and(['sessionGiven', 'hasTimeout']),
            target: 'creating',
            actions: ['assignGivenSession', 'subscribeConnection', 'startLockTimeout'],
          },
          {
            guard: 'sessionGiven',
            target: 'creating',
            actions: ['assignGivenSession', 'subscribeConnection'],
          },
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
      entry: request('connect'),
      on: {
        ...endOn,
        'DONE.connect': {
          target: 'creating',
          actions: [assign({ session: ({ event }) => event.output }), 'subscribeConnection'],
        },
        'FAILED.connect': {
          target: 'releasing',
          actions: { type: 'failRequest', params: { request: 'connect' } },
        },
      },
    },
    creating: {
      initial: 'creatingNode',
      on: { ...endOn, ...lostOn },
      states: {
        creatingNode: {
          entry: ['countAttempt', request('createSequentialAndList')],
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
              { guard: 'noNode', target: 'checkingAttempts' },
              {
                target: '#lock.releasing',
                actions: { type: 'failRequest', params: { request: 'createSequential' } },
              },
            ],
          },
        },
        checkingAttempts: {
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
          entry: request('listChildrenWithOwners'),
          on: {
            'DONE.listChildrenWithOwners': {
              target: 'recovered',
              actions: assign(({ context, event }) => {
                const own = findOwnNode(event.output, context.session?.sessionId ?? '', context.lockId);
                return O.isSome(own) ? nodeFields(context, own.value) : { nodeUnknown: false };
              }),
            },
            'FAILED.listChildrenWithOwners': [
              expired,
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              { guard: 'noNode', target: 'creatingNode', actions: assign({ nodeUnknown: false }) },
              {
                target: '#lock.releasing',
                actions: { type: 'failRequest', params: { request: 'listChildrenWithOwners' } },
              },
            ],
          },
        },
        recovered: {
          always: [{ guard: 'hasNode', target: '#lock.evaluating' }, { target: 'creatingNode' }],
        },
      },
    },
    evaluating: {
      initial: 'listing',
      on: { ...endOn, ...lostOn },
      states: {
        listing: {
          entry: request('listChildren'),
          on: {
            'DONE.listChildren': {
              target: 'decided',
              actions: assign(({ context, event }) => listingFields(context, context, event.output)),
            },
            'FAILED.listChildren': [
              expired,
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              // The parent is gone, so our node (its child) is gone too.
              { guard: 'noNode', target: 'decided', actions: assign({ decision: { _tag: 'Missing' } }) },
              {
                target: '#lock.releasing',
                actions: { type: 'failRequest', params: { request: 'listChildren' } },
              },
            ],
          },
        },
        awaitingConnection: awaitingConnection('listing'),
        decided: {
          always: [
            { guard: 'decidedHeld', target: '#lock.held' },
            {
              guard: 'decidedMissing',
              target: '#lock.releasing',
              actions: [
                {
                  type: 'fail',
                  params: ({ context }) => ({ error: { _tag: 'NodeVanished', node: context.node ?? '' } }),
                },
                'clearNode',
              ],
            },
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
      entry: 'armWatch',
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
      initial: 'live',
      entry: 'cancelLockTimeout',
      on: {
        ...lostOn,
        // A held lock always knows its node: straight to removing it (`releasing.checking` would
        // take an eventless step to find that out).
        RELEASE: {
          target: 'releasing.removing',
          actions: { type: 'requestEnd', params: { outcome: 'released' } },
        },
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
      initial: 'checking',
      on: {
        // The session is gone and with it our ephemeral node: nothing left to remove.
        'CONNECTION.LOST': '.done',
        DESTROY: { actions: { type: 'requestEnd', params: { outcome: 'destroyed' } } },
      },
      states: {
        checking: {
          always: [
            { guard: 'hasNode', target: 'removing' },
            { guard: 'nodeUnknown', target: 'recovering' },
            { target: 'done' },
          ],
        },
        removing: {
          entry: request('remove'),
          on: {
            // Straight to the outcome rather than through `done` and the parent's done event: a
            // release takes one machine step from the delete's answer to its final state.
            'DONE.remove': toOutcome('clearNode'),
            'FAILED.remove': [
              { guard: 'sessionExpired', target: 'done' },
              { guard: 'connectionLoss', target: 'awaitingConnection' },
              { target: 'done', actions: { type: 'failRequest', params: { request: 'remove' } } },
            ],
          },
        },
        awaitingConnection: awaitingConnection('checking'),
        recovering: {
          entry: request('listChildrenWithOwners'),
          on: {
            'DONE.listChildrenWithOwners': {
              target: 'checking',
              actions: assign(({ context, event }) => {
                const own = findOwnNode(event.output, context.session?.sessionId ?? '', context.lockId);
                return O.isSome(own) ? nodeFields(context, own.value) : { nodeUnknown: false };
              }),
            },
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
        done: { type: 'final' },
      },
      onDone: toOutcome(),
    },
    released: final,
    timedOut: final,
    alreadyLocked: final,
    cancelled: final,
    lost: final,
    failed: final,
    destroyed: final,
  },
});
