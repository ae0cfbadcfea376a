import type { Decision } from '../decide.js';
import type { ParentHint, ParentNodes } from '../parents.js';
import type { ChildrenListing, ChildWithOwner, CreatedAndListed, SessionInfo, ZkFailure } from '../port.js';

/** `exclusive`: mutex or semaphore (`lock-` nodes); `read` / `write`: the read/write rule. */
export type LockKind = 'exclusive' | 'read' | 'write';

/** What one acquisition attempt is about; it never changes during the attempt. See docs/state-machine.md. */
export interface LockAttempt {
  /** Validated lock parent, e.g. `/locks/foo/bar/baz` (see `lockParentPath`). */
  readonly parentPath: string;
  readonly kind: LockKind;
  /** 1 for a mutex, m > 1 for a semaphore; ignored by `read` and `write`. */
  readonly maxHolders: number;
  /** End in `alreadyLocked` instead of waiting. */
  readonly failImmediate: boolean;
  /** 0: wait forever; otherwise end in `timedOut` when not held after this many ms. */
  readonly timeoutMs: number;
  /** Unique id of this attempt, also inside `nodeData` (finds the node after a lost create reply). */
  readonly lockId: string;
  /** The node's data (see `encodeOwnerData`). */
  readonly nodeData: string;
  /**
   * How the lock parent is made and whether the session has seen it exist, from the shell when the
   * attempt starts (`LockPort.parentHint`): the machine decides from it when a parent create goes
   * out (see `parentAhead`).
   */
  readonly parent: ParentHint;
}

/** The machine's input (`initialTransition(lockMachine, input)`). */
export interface LockMachineInput {
  readonly attempt: LockAttempt;
  /**
   * The port's session, when the shell has one already (`LockPort.connectNow`): the attempt starts
   * creating its node at once. Without it the machine waits in `idle` for `ACQUIRE` (or for the
   * end of an attempt that never started: `CANCEL`, `TIMEOUT`, `DESTROY`).
   */
  readonly session?: SessionInfo;
}

/** Why a lock ended in `failed` or `lost`. */
export type LockError =
  /** A ZooKeeper request failed in a way retrying cannot fix. */
  | { readonly _tag: 'RequestFailed'; readonly request: LockRequest; readonly failure: ZkFailure }
  /** Our node was no longer among the children (deleted by hand, or the session went). */
  | { readonly _tag: 'NodeVanished'; readonly node: string }
  /** `createSequential` kept answering NO_NODE although the parents were created each time. */
  | { readonly _tag: 'ParentKeptVanishing'; readonly attempts: number }
  /** The session is gone: `expired` (server said so), `timeout` (no reconnect in time), `closed`. */
  | { readonly _tag: 'SessionLost'; readonly reason: 'expired' | 'timeout' | 'closed' };

export type LockRequest =
  | 'connect'
  | 'createSequential'
  | 'createParents'
  | 'listChildren'
  | 'listChildrenWithOwners'
  | 'watchDeletion'
  | 'remove';

/** Where `releasing` ends: the final state of that name. */
export type Outcome = 'released' | 'timedOut' | 'alreadyLocked' | 'cancelled' | 'failed' | 'destroyed';

/**
 * The machine's context. Small on purpose: every `assign` copies it (xstate's `Object.assign({},
 * context, update)`), and every held lock keeps one. What never changes is one shared object.
 */
export interface LockContext {
  readonly attempt: LockAttempt;
  /** The session we run on, once connected. */
  readonly session: SessionInfo | undefined;
  /** Our node's name (`lock-0000000042`), once known. */
  readonly node: string | undefined;
  readonly nodePath: string | undefined;
  readonly sequence: number | undefined;
  /** `parentCzxid << 32 | sequence`, set when our node holds. */
  readonly fencingToken: bigint | undefined;
  /** The parent's czxid from the last listing: the fencing token's high bits, for a countdown. */
  readonly parentCzxid: bigint | undefined;
  /** A create was sent but its answer lost: our node may exist under a name we do not know. */
  readonly nodeUnknown: boolean;
  /** The last decision taken from a children listing. */
  readonly decision: Decision | undefined;
  /** Number of `createSequential` requests sent. */
  readonly attempts: number;
  /** From the last `CONNECTION.SUSPENDED`: ms until the session must be presumed expired. */
  readonly lostInMs: number;
  /** Set when the attempt is to end (released, timed out, ...); `releasing` routes on it. */
  readonly outcome: Outcome | undefined;
  readonly error: LockError | undefined;
}

/** Events the shell sends. */
export type LockCommand =
  /**
   * Start acquiring (from `idle`). With `session`, the port is connected already (the shell asked
   * `LockPort.connectNow`): the machine skips `connecting`.
   */
  | { readonly type: 'ACQUIRE'; readonly session?: SessionInfo }
  /** Give the held lock back. */
  | { readonly type: 'RELEASE' }
  /** Give up a pending acquisition (an abort signal); ends in `cancelled`, no node left. */
  | { readonly type: 'CANCEL' }
  /** End from anywhere; the node is removed unless the session is lost. */
  | { readonly type: 'DESTROY' };

/** Session events, forwarded from `LockPort.subscribe` by the shell's `subscribeConnection` (see `connection.ts`). */
export type ConnectionMachineEvent =
  | { readonly type: 'CONNECTION.SUSPENDED'; readonly lostInMs: number }
  | { readonly type: 'CONNECTION.RECONNECTED' }
  | { readonly type: 'CONNECTION.LOST'; readonly reason: 'expired' | 'timeout' | 'closed' };

/** Events the machine sends itself. */
export type InternalEvent =
  /** The lock timeout (`timeoutMs`) elapsed before the lock was held. */
  | { readonly type: 'TIMEOUT' }
  /**
   * A watched predecessor, `deleted` (a child name), is gone (or did not exist when the watch was
   * armed). Without `deleted`, the watch lapsed: nothing is known, list again.
   */
  | { readonly type: 'WATCH.FIRED'; readonly deleted?: string }
  | { readonly type: 'WATCH.FAILED'; readonly failure: ZkFailure };

/** The ZooKeeper requests the machine asks for (see `requests.ts`), with what each answers. */
export interface RequestOutputs {
  readonly connect: SessionInfo;
  readonly createSequentialAndList: CreatedAndListed;
  readonly createParents: void;
  readonly listChildren: ChildrenListing;
  readonly listChildrenWithOwners: ReadonlyArray<ChildWithOwner>;
  readonly remove: void;
}
export type RequestName = keyof RequestOutputs;

/** The answer of the request the machine is waiting for: `DONE.<request>` or `FAILED.<request>`. */
export type RequestEvent = {
  [R in RequestName]:
    | { readonly type: `DONE.${R}`; readonly output: RequestOutputs[R] }
    | { readonly type: `FAILED.${R}`; readonly failure: ZkFailure };
}[RequestName];

export type LockEvent = LockCommand | ConnectionMachineEvent | InternalEvent | RequestEvent;

/**
 * A request as the `request` action's params: everything the shell needs to send it. The answer
 * comes back as `DONE.<request>` or `FAILED.<request>`.
 */
export type RequestEffect =
  | { readonly request: 'connect' }
  | {
      readonly request: 'createSequentialAndList';
      readonly parentPath: string;
      readonly prefix: string;
      readonly data: string;
      /** Send a create of the parent, in this mode, right ahead of the node's (see `parentAhead`). */
      readonly parentAhead: ParentNodes | undefined;
    }
  /** `path` with its missing ancestors; `path` itself as `mode`. */
  | { readonly request: 'createParents'; readonly path: string; readonly mode: ParentNodes }
  | { readonly request: 'listChildren'; readonly parentPath: string }
  | { readonly request: 'listChildrenWithOwners'; readonly parentPath: string }
  | { readonly request: 'remove'; readonly path: string };

/**
 * The `armWatch` action's params: the nodes whose deletion `waiting` waits for (full paths), and
 * their parent, whose children `WATCH.FIRED { deleted }` names.
 */
export interface WatchEffect {
  readonly paths: ReadonlyArray<string>;
  readonly parentPath: string;
}

/**
 * What a state means, as its tags (`snapshot.hasTag`): exactly one of `acquiring`, `held`,
 * `releasing` or the name of a final state; `suspended` while the session is suspended in
 * `waiting` or `held`; `busy` while the attempt works through requests of its own (see
 * `busyWithRequests`).
 */
export type LockTag = 'acquiring' | 'held' | 'releasing' | Outcome | 'lost' | 'suspended' | 'busy';
