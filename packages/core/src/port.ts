import type * as E from 'fp-ts/lib/Either.js';
import type * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { ParentHint, ParentNodes } from './parents.js';

/**
 * The effects the lock recipe needs, and nothing more. The core only describes them; the
 * `@zk-lock/zookeeper` adapter implements them over node-zookeeper-client, and tests implement
 * them with an in-memory store. Every method returns errors as values (`TaskEither`).
 */

/** ZooKeeper error codes the recipe distinguishes; anything else is `UNKNOWN`. */
export type ZkErrorCode =
  | 'NO_NODE'
  | 'NODE_EXISTS'
  | 'NOT_EMPTY'
  /** A conditional write found another version of the node (a leader's `proclaim`). */
  | 'BAD_VERSION'
  | 'CONNECTION_LOSS'
  | 'SESSION_EXPIRED'
  | 'OPERATION_TIMEOUT'
  | 'NO_AUTH'
  | 'AUTH_FAILED'
  | 'INVALID_ACL'
  | 'BAD_ARGUMENTS'
  /** The server does not know the request (a container create on ZooKeeper before 3.5.3). */
  | 'UNIMPLEMENTED'
  | 'CLOSED'
  | 'UNKNOWN';

export interface ZkFailure {
  readonly _tag: 'ZkFailure';
  readonly code: ZkErrorCode;
  /** The znode path the failing request named, when there was one. */
  readonly path?: string;
  readonly message: string;
}

export const zkFailure = (code: ZkErrorCode, message: string, path?: string): ZkFailure =>
  path === undefined ? { _tag: 'ZkFailure', code, message } : { _tag: 'ZkFailure', code, message, path };

/** `error` when it is a `ZkFailure` already; anything else (a port that threw) as an `UNKNOWN` one. */
export const asZkFailure = (error: unknown): ZkFailure =>
  typeof error === 'object' && error !== null && (error as { _tag?: unknown })._tag === 'ZkFailure'
    ? (error as ZkFailure)
    : zkFailure('UNKNOWN', error instanceof Error ? error.message : String(error));

/** What a lock learns from the session it runs on. */
export interface SessionInfo {
  /** The session id as 16 lowercase hex digits. */
  readonly sessionId: string;
  /** The session timeout the server negotiated, in ms. */
  readonly sessionTimeoutMs: number;
}

/** A `getChildren` answer: names, plus the parent's czxid (the fencing token's high part). */
export interface ChildrenListing {
  readonly children: ReadonlyArray<string>;
  readonly parentCzxid: bigint;
}

/**
 * The answer of `createSequentialAndList`: the new node's name, and the listing sent right behind
 * its create. The node exists whatever became of the listing, so a failed listing is part of the
 * answer (the machine keeps the node and lists again), never the failure of the whole request.
 */
export interface CreatedAndListed {
  readonly node: string;
  readonly listing: E.Either<ZkFailure, ChildrenListing>;
}

/** A child with its data and ephemeral owner, to find our own node after a create whose reply was lost. */
export interface ChildWithOwner {
  readonly name: string;
  readonly data: string;
  /** 16 lowercase hex digits; `0000000000000000` for a persistent node. */
  readonly ephemeralOwner: string;
}

/** What a deletion watch reports (see `LockPort.watchDeletion`). */
export type WatchReport = { readonly _tag: 'Deleted'; readonly path: string } | { readonly _tag: 'Lapsed' };

/**
 * Connection events of the session a lock runs on.
 * - `suspended`: nothing heard from the server for 2/3 of the negotiated session timeout, or the
 *   socket dropped. `lostInMs` is how long until the session must be presumed expired.
 * - `reconnected`: the same session is live again.
 * - `lost`: the session is expired (server said so) or presumed expired (our own clock); every
 *   ephemeral node of it is gone or about to go. Terminal for that session.
 */
export type ConnectionEvent =
  | { readonly type: 'suspended'; readonly lostInMs: number }
  | { readonly type: 'reconnected' }
  | { readonly type: 'lost'; readonly reason: 'expired' | 'timeout' | 'closed' };

export interface LockPort {
  /** Obtain a live session (shared or not is the adapter's business). */
  readonly connect: () => TE.TaskEither<ZkFailure, SessionInfo>;
  /**
   * The session, when the port has a live one or can have it without waiting (a live pooled
   * session); none otherwise. A session given here is the port's as after `connect`: the shell
   * passes it in `ACQUIRE`, and the machine skips `connecting`.
   */
  readonly connectNow: () => O.Option<SessionInfo>;
  /**
   * Create an ephemeral sequential node `${parent}/${prefix}<seq>`; resolves to its name (not path).
   * With `parentAhead`, a create of `parent` in that mode goes out right ahead of it, without
   * waiting for its answer (ignored: created or NODE_EXISTS, the node's create then finds it).
   */
  readonly createSequential: (
    parent: string,
    prefix: string,
    data: string,
    parentAhead?: ParentNodes,
  ) => TE.TaskEither<ZkFailure, string>;
  /**
   * `createSequential` and `listChildren(parent)` sent back to back, without waiting for the
   * create's reply: ZooKeeper answers a session's requests in order, so the listing is taken after
   * the create and contains the new node. One round trip instead of two. Fails with the create's
   * failure (the listing's result is then ignored); a listing failure after a successful create is
   * carried in the answer's `listing`.
   */
  readonly createSequentialAndList: (
    parent: string,
    prefix: string,
    data: string,
    parentAhead?: ParentNodes,
  ) => TE.TaskEither<ZkFailure, CreatedAndListed>;
  /**
   * Create `path` and its missing ancestors as empty nodes: `path` itself as `mode` (default
   * `persistent`), the ancestors persistent. An existing node is success.
   */
  readonly createParents: (path: string, mode?: ParentNodes) => TE.TaskEither<ZkFailure, void>;
  /**
   * What the port knows about the lock parent `parent` now: how its parents are made (its
   * configuration) and whether its session has seen this one exist (false without a session). A
   * hint for an attempt's input, answered at once: no request.
   */
  readonly parentHint: (parent: string) => ParentHint;
  readonly listChildren: (parent: string) => TE.TaskEither<ZkFailure, ChildrenListing>;
  readonly listChildrenWithOwners: (
    parent: string,
  ) => TE.TaskEither<ZkFailure, ReadonlyArray<ChildWithOwner>>;
  /**
   * Arm deletion watches on `paths` (full paths). `onReport` hears `Deleted` once for each of them
   * that is deleted, or does not exist when armed; `Lapsed` when a watch could not be kept (a
   * node's data changed and re-arming failed), after which nothing is known: list again. The
   * returned function disarms the callback (ZooKeeper watches cannot be removed; later firings
   * are ignored).
   */
  readonly watchDeletion: (
    paths: ReadonlyArray<string>,
    onReport: (report: WatchReport) => void,
  ) => TE.TaskEither<ZkFailure, () => void>;
  /** Delete a node; `NO_NODE` counts as success. */
  readonly remove: (path: string) => TE.TaskEither<ZkFailure, void>;
  /** Listen to the session's connection events; returns the unsubscribe function. */
  readonly subscribe: (listener: (event: ConnectionEvent) => void) => () => void;
  /** Let go of the session (a shared session closes when its last lock lets go). Idempotent. */
  readonly disconnect: () => Promise<void>;
}
